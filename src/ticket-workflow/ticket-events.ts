import type { DomainEvent, DomainEvents } from '@helpdesk/common';
import type { TicketMessage } from 'src/messages/ticket-message.entity';
import type { Ticket } from 'src/tickets/ticket.entity';
import { snapshotOf, withSnapshot } from 'src/tickets/ticket-snapshot';

/**
 * The last step of every use case: its domain events, in the order things happened, each with
 * one snapshot of the ticket (and the message) as the change leaves them. Audit, outbox, feed
 * and webhooks derive their rows from these alone.
 */
export function recordTicketEvents(
  domainEvents: DomainEvents,
  ticket: Ticket,
  events: readonly (DomainEvent | null | undefined)[],
  message: TicketMessage | null = null,
): void {
  const snapshot = snapshotOf(ticket, message);
  for (const event of events) if (event) domainEvents.record(withSnapshot(event, snapshot));
}
