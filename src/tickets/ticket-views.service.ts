import { Injectable } from '@nestjs/common';
import type { Actor } from '@helpdesk/common';
import { toMessageResponse } from 'src/messages/dto/message.response';
import { MessagesService } from 'src/messages/messages.service';
import type { CustomerTicketResponse, StaffTicketDetailResponse } from './dto/ticket.responses';
import { TicketDetailRegistry } from './ticket-detail.registry';
import type { Ticket } from './ticket.entity';
import { toCustomerTicket, toStaffTicket } from './ticket.mappers';
import { TicketsService } from './tickets.service';

/** Assembles the detailed views of one ticket for each audience. */
@Injectable()
export class TicketViewsService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly messages: MessagesService,
    private readonly registry: TicketDetailRegistry,
  ) {}

  async customerDetail(actor: Actor | null, ticket: Ticket): Promise<CustomerTicketResponse> {
    const [messages, sections] = await Promise.all([
      this.messages.allForTicket(ticket.id),
      this.registry.sectionsFor(ticket, 'customer', actor),
    ]);
    return { attachments: [], rating: null, ...toCustomerTicket(ticket, messages), ...sections };
  }

  async staffDetail(actor: Actor, ticket: Ticket): Promise<StaffTicketDetailResponse> {
    const [messages, ticketCount, sections] = await Promise.all([
      this.messages.allForTicket(ticket.id),
      this.tickets.countForRequester(ticket.requesterId),
      this.registry.sectionsFor(ticket, 'staff', actor),
    ]);
    const staff = toStaffTicket(ticket);
    return {
      internal_notes: [],
      attachments: [],
      ...staff,
      requester: { ...staff.requester, ticket_count: ticketCount },
      messages: messages.map((m) => toMessageResponse(m, 'staff')),
      ...sections,
    };
  }
}
