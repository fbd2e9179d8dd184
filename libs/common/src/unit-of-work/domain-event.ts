import type { Actor } from '../context/actor';

/**
 * Something that happened, recorded once by the service that made it happen. Events carry ids
 * and changed fields (`{ status: ['open', 'resolved'] }`), never message bodies or secrets.
 */
export abstract class DomainEvent {
  /** Stable dotted name, e.g. `ticket.status_changed`. */
  abstract readonly type: string;
  readonly occurredAt: Date = new Date();
}

/** What a consumer learns about the unit of work the events came from. */
export interface UnitOfWorkContext {
  actor: Actor | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/**
 * A consumer turns recorded events into rows of its own (audit entries, outbox notifications,
 * feed events) inside the same transaction, before it commits.
 */
export interface DomainEventConsumer {
  readonly name: string;
  consume(events: readonly DomainEvent[], context: UnitOfWorkContext): Promise<void>;
  /** Optional: runs after a successful commit (e.g. to wake a relay). Must not throw. */
  afterCommit?(events: readonly DomainEvent[]): void;
}
