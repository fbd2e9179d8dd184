import { Injectable } from '@nestjs/common';
import { DomainEvents, type Actor } from '@helpdesk/common';
import { TicketCustomerReplied } from 'src/messages/messages.events';
import { MessagesService } from 'src/messages/messages.service';
import type { TicketMessage } from 'src/messages/ticket-message.entity';
import { TicketSlaTracker } from 'src/sla/ticket-sla.tracker';
import { assertAllowed } from 'src/tickets/ticket-policy';
import type { TicketStatus } from 'src/tickets/ticket-status';
import { TicketsService } from 'src/tickets/tickets.service';
import { recordTicketEvents } from './ticket-events';
import { TicketStatusMoves } from './ticket-status-move';

/** A customer's answer brings a ticket that waited on them (or was resolved) back to the agents. */
const REOPENED_BY_CUSTOMER: readonly TicketStatus[] = ['waiting_customer', 'pending', 'resolved'];

/** A customer (or a ticket-token holder) writes in their ticket's conversation. */
@Injectable()
export class AddCustomerMessage {
  constructor(
    private readonly tickets: TicketsService,
    private readonly messages: MessagesService,
    private readonly statusMoves: TicketStatusMoves,
    private readonly sla: TicketSlaTracker,
    private readonly domainEvents: DomainEvents,
  ) {}

  async run(actor: Actor, ticketId: string, body: string): Promise<TicketMessage> {
    const ticket = await this.tickets.lockForChange(actor, ticketId);
    assertAllowed('customer_message', actor, ticket);

    const message = await this.messages.append({
      ticketId,
      senderType: 'customer',
      senderId: ticket.requesterId,
      sender: ticket.requester ?? null,
      body,
    });
    // The locked ticket's count was read before this message; the snapshot shows it after.
    ticket.replyCount = (ticket.replyCount ?? 0) + 1;
    // The reopening is the system's consequence of the message, not a move the customer asks.
    const move = REOPENED_BY_CUSTOMER.includes(ticket.status)
      ? await this.statusMoves.apply(ticket, 'open', null, 'customer_reply')
      : null;
    await this.tickets.save(ticket, { appendSearchText: body });

    await this.sla.recordFindings([move?.sla ?? null], ticket);
    recordTicketEvents(
      this.domainEvents,
      ticket,
      [new TicketCustomerReplied(ticketId, message.id, body.length), move?.event()],
      message,
    );
    return message;
  }
}
