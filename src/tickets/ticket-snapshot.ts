import type { DomainEvent } from '@helpdesk/common';
import type { TicketMessage } from 'src/messages/ticket-message.entity';
import { Ticket } from './ticket.entity';

/**
 * The ticket (and the message, for conversation events) as the change that recorded an event
 * left them. Use cases attach it when they record their events, last; consumers (the feed, the
 * outbox planner) describe the change from it and never read the ticket again.
 */
export interface TicketSnapshot {
  readonly ticket: Ticket;
  readonly message: TicketMessage | null;
}

interface WithSnapshot {
  snapshot?: TicketSnapshot;
}

/** A copy of the ticket's columns and loaded people, so later changes in memory do not show. */
export function snapshotOf(ticket: Ticket, message: TicketMessage | null = null): TicketSnapshot {
  return { ticket: Object.assign(new Ticket(), ticket), message };
}

/**
 * Attaches `snapshot` to an event (the ticket events of one change share one snapshot). A
 * snapshot is taken of a ticket its change has locked (or just created): the event says so.
 */
export function withSnapshot<E extends DomainEvent>(event: E, snapshot: TicketSnapshot): E {
  (event as WithSnapshot).snapshot = snapshot;
  event.resourceLocked = true;
  return event;
}

/** The snapshot a ticket event was recorded with, or null (events about other resources). */
export function ticketSnapshotOf(event: DomainEvent): TicketSnapshot | null {
  return (event as WithSnapshot).snapshot ?? null;
}
