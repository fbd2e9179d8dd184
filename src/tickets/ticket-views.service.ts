import { Injectable } from '@nestjs/common';
import type { Actor } from '@helpdesk/common';
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
    private readonly registry: TicketDetailRegistry,
  ) {}

  async customerDetail(actor: Actor | null, ticket: Ticket): Promise<CustomerTicketResponse> {
    const sections = await this.registry.sectionsFor(ticket, 'customer', actor);
    return {
      messages: [],
      attachments: [],
      rating: null,
      ...toCustomerTicket(ticket),
      ...sections,
    };
  }

  async staffDetail(actor: Actor, ticket: Ticket): Promise<StaffTicketDetailResponse> {
    const ticketCount = await this.tickets.countForRequester(ticket.requesterId);
    const sections = await this.registry.sectionsFor(ticket, 'staff', actor);
    const staff = toStaffTicket(ticket);
    return {
      messages: [],
      internal_notes: [],
      attachments: [],
      ...staff,
      requester: { ...staff.requester, ticket_count: ticketCount },
      ...sections,
    };
  }
}
