import { Injectable } from '@nestjs/common';
import { DomainEvents, type Actor } from '@helpdesk/common';
import type { TicketStatus } from 'src/tickets/ticket-status';
import type { Ticket } from 'src/tickets/ticket.entity';
import { TicketsService } from 'src/tickets/tickets.service';
import { TicketCustomerReplied, TicketReplied } from './messages.events';
import { MessagesService } from './messages.service';
import type { TicketMessage } from './ticket-message.entity';

/** Adds messages to conversations, applying the ticket's rules through the tickets service. */
@Injectable()
export class ConversationService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly messages: MessagesService,
    private readonly domainEvents: DomainEvents,
  ) {}

  async reply(
    actor: Actor,
    ticketId: string,
    body: string,
    options: { status?: TicketStatus; resolutionNotes?: string; ifMatch?: number } = {},
  ): Promise<TicketMessage> {
    const ticket = await this.tickets.lockForChange(actor, ticketId, options.ifMatch);
    const firstResponse = ticket.firstRespondedAt === null;
    // A reply that resolves is the customer's resolution text unless notes are given.
    const resolutionNotes =
      options.status === 'resolved' ? (options.resolutionNotes ?? body) : options.resolutionNotes;
    // Message first, then the status it causes, so history reads in that order. A refused move
    // throws and rolls the message back with it.
    const message = await this.messages.append({
      ticketId,
      senderType: 'agent',
      senderId: actor.type === 'user' ? actor.id : null,
      body,
    });
    countReply(ticket);
    this.domainEvents.record(new TicketReplied(ticketId, message.id, body.length, firstResponse));
    await this.tickets.applyAgentReply(ticket, actor, options.status, resolutionNotes);
    return message;
  }

  async customerMessage(actor: Actor, ticketId: string, body: string): Promise<TicketMessage> {
    const ticket = await this.tickets.lockForChange(actor, ticketId);
    const message = await this.messages.append({
      ticketId,
      senderType: 'customer',
      senderId: ticket.requesterId,
      body,
    });
    countReply(ticket);
    this.domainEvents.record(new TicketCustomerReplied(ticketId, message.id, body.length));
    await this.tickets.applyCustomerMessage(ticket);
    return message;
  }
}

/**
 * The locked ticket's reply count was read before this message: the event feed describes the
 * ticket from that same object, as the change leaves it.
 */
function countReply(ticket: Ticket): void {
  ticket.replyCount = (ticket.replyCount ?? 0) + 1;
}
