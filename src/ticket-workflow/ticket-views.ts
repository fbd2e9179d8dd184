import { Injectable } from '@nestjs/common';
import type { Actor, Page } from '@helpdesk/common';
import { AttachmentMapper } from 'src/attachments/attachment.mapper';
import { AttachmentsService } from 'src/attachments/attachments.service';
import type { AttachmentResponse } from 'src/attachments/dto/attachment.response';
import { toEscalationResponse } from 'src/escalations/dto/escalation.dto';
import { toMessageResponse, type MessageResponse } from 'src/messages/dto/message.response';
import { MessagesService } from 'src/messages/messages.service';
import type { TicketMessage } from 'src/messages/ticket-message.entity';
import { toNoteResponse } from 'src/notes/dto/note.dto';
import { NotesService } from 'src/notes/notes.service';
import { toRatingResponse } from 'src/ratings/dto/rating.dto';
import { RatingsService } from 'src/ratings/ratings.service';
import type {
  CustomerTicketResponse,
  StaffTicketDetailResponse,
} from 'src/tickets/dto/ticket.responses';
import type { Ticket } from 'src/tickets/ticket.entity';
import { toCustomerTicket, toStaffTicket } from 'src/tickets/ticket.mappers';
import { TicketsService } from 'src/tickets/tickets.service';

type Audience = 'staff' | 'customer';

/**
 * The detailed views of one ticket, composed here from the records that make them up
 * (messages with their attachments, internal notes, attachments, escalation, rating), for each
 * audience: customers get customer-visible parts only. One query after another: a request holds
 * one pool connection, not several.
 */
@Injectable()
export class TicketViews {
  constructor(
    private readonly tickets: TicketsService,
    private readonly messages: MessagesService,
    private readonly notes: NotesService,
    private readonly attachments: AttachmentsService,
    private readonly attachmentMapper: AttachmentMapper,
    private readonly ratings: RatingsService,
  ) {}

  async customerDetail(ticket: Ticket): Promise<CustomerTicketResponse> {
    const rating = await this.ratings.forTicket(ticket.id);
    return {
      ...toCustomerTicket(ticket),
      messages: await this.conversation(ticket.id, 'customer'),
      attachments: await this.ticketAttachments(ticket.id, 'customer'),
      rating: rating ? toRatingResponse(rating) : null,
    };
  }

  /**
   * A ticket just opened, as the portal will show it, from what its transaction wrote: its one
   * message, no attachments yet, no rating. Nothing is read back.
   */
  openedForCustomer(ticket: Ticket, message: TicketMessage): CustomerTicketResponse {
    return {
      ...toCustomerTicket(ticket),
      messages: [toMessageResponse(message, 'customer')],
      attachments: [],
      rating: null,
    };
  }

  async staffDetail(ticket: Ticket): Promise<StaffTicketDetailResponse> {
    const ticketCount = await this.tickets.countForRequester(ticket.requesterId);
    const staff = toStaffTicket(ticket);
    const messages = await this.conversation(ticket.id, 'staff');
    const notes = await this.notes.allForTicket(ticket.id);
    const attachments = await this.ticketAttachments(ticket.id, 'staff');
    const rating = await this.ratings.forTicket(ticket.id);
    return {
      ...staff,
      requester: { ...staff.requester, ticket_count: ticketCount },
      messages,
      internal_notes: notes.map(toNoteResponse),
      attachments,
      escalation: toEscalationResponse(ticket),
      rating: rating ? toRatingResponse(rating) : null,
    };
  }

  /** A page of a ticket's conversation the actor may see, each message with its attachments. */
  async messagePage(
    actor: Actor,
    ticketId: string,
    page: { page: number; limit: number },
    audience: Audience,
  ): Promise<Page<MessageResponse>> {
    await this.tickets.getVisible(actor, ticketId);
    const messages = await this.messages.pageForTicket(ticketId, page);
    const attachments = await this.attachmentsOf(messages.items, audience);
    return {
      ...messages,
      items: messages.items.map((m) => toMessageResponse(m, audience, attachments.get(m.id))),
    };
  }

  private async conversation(ticketId: string, audience: Audience): Promise<MessageResponse[]> {
    const messages = await this.messages.allForTicket(ticketId);
    const attachments = await this.attachmentsOf(messages, audience);
    return messages.map((m) => toMessageResponse(m, audience, attachments.get(m.id)));
  }

  /** Customers get public attachments only: the audience picks the query, not a later filter. */
  private async ticketAttachments(
    ticketId: string,
    audience: Audience,
  ): Promise<AttachmentResponse[]> {
    return this.attachmentMapper.toResponses(
      await this.attachments.forTicketView(ticketId, audience),
      audience,
    );
  }

  /** The attachments of a conversation's messages, in one query, by message id. */
  private async attachmentsOf(
    messages: readonly TicketMessage[],
    audience: Audience,
  ): Promise<Map<string, AttachmentResponse[]>> {
    const byMessage = new Map<string, AttachmentResponse[]>();
    if (!messages.length) return byMessage;
    const ids = messages.map((m) => m.id);
    for (const attachment of await this.attachments.forMessages(ids, audience)) {
      const list = byMessage.get(attachment.messageId!) ?? [];
      list.push(this.attachmentMapper.toResponse(attachment, audience));
      byMessage.set(attachment.messageId!, list);
    }
    return byMessage;
  }
}
