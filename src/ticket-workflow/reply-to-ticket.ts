import { Injectable } from '@nestjs/common';
import { Clock, DomainEvents, type Actor } from '@helpdesk/common';
import { TicketReplied } from 'src/messages/messages.events';
import { MessagesService } from 'src/messages/messages.service';
import type { TicketMessage } from 'src/messages/ticket-message.entity';
import { TicketSlaTracker } from 'src/sla/ticket-sla.tracker';
import { assertAllowed } from 'src/tickets/ticket-policy';
import type { TicketStatus } from 'src/tickets/ticket-status';
import { TicketsService } from 'src/tickets/tickets.service';
import { staffSenderOf } from './open-ticket';
import { recordTicketEvents } from './ticket-events';
import { TicketStatusMoves } from './ticket-status-move';

export interface ReplyInput {
  body: string;
  /** Where the reply moves the ticket (a legal move); by default open/in_progress/pending → waiting_customer. */
  status?: TicketStatus;
  resolutionNotes?: string;
  ifMatch?: number;
}

const AWAITING_AGENT: readonly TicketStatus[] = ['open', 'in_progress', 'pending'];

/**
 * An agent's customer-visible reply (API.md section 6): refused on closed tickets; the first
 * one sets first_responded_at (and meets the first-response target); the ticket then waits for
 * the customer unless the reply asks for another legal move.
 */
@Injectable()
export class ReplyToTicket {
  constructor(
    private readonly tickets: TicketsService,
    private readonly messages: MessagesService,
    private readonly statusMoves: TicketStatusMoves,
    private readonly sla: TicketSlaTracker,
    private readonly domainEvents: DomainEvents,
    private readonly clock: Clock,
  ) {}

  async run(actor: Actor, ticketId: string, input: ReplyInput): Promise<TicketMessage> {
    const ticket = await this.tickets.lockForChange(actor, ticketId, input.ifMatch);
    assertAllowed('reply', actor, ticket);

    // Message first, then the status it causes, so history reads in that order. A refused move
    // throws and rolls the message back with it.
    const message = await this.messages.append({
      ticketId,
      senderType: 'agent',
      senderId: actor.type === 'user' ? actor.id : null,
      sender: staffSenderOf(actor),
      body: input.body,
    });
    // The locked ticket's count was read before this message; the snapshot shows it after.
    ticket.replyCount = (ticket.replyCount ?? 0) + 1;
    const firstResponse = ticket.firstRespondedAt === null;
    if (firstResponse) ticket.firstRespondedAt = this.clock.now();
    const target =
      input.status ?? (AWAITING_AGENT.includes(ticket.status) ? 'waiting_customer' : undefined);
    // A reply that resolves is the customer's resolution text unless notes are given.
    const resolutionNotes =
      input.status === 'resolved' ? (input.resolutionNotes ?? input.body) : input.resolutionNotes;
    const move = target
      ? await this.statusMoves.apply(ticket, target, actor, 'agent_reply', resolutionNotes)
      : null;
    const firstResponseSla = firstResponse ? this.sla.firstResponded(ticket) : null;
    // One UPDATE: status, first response, SLA columns and the message's search words.
    await this.tickets.save(ticket, { appendSearchText: input.body });

    await this.sla.recordFindings([move?.sla ?? null, firstResponseSla], ticket);
    recordTicketEvents(
      this.domainEvents,
      ticket,
      [new TicketReplied(ticketId, message.id, input.body.length, firstResponse), move?.event()],
      message,
    );
    return message;
  }
}
