import type { Actor } from '../context/actor';

/** `{ field: [old, new] }` for the fields a change touched. */
export type FieldChanges = Record<string, [unknown, unknown]>;

/**
 * Something that happened, recorded once by the service that made it happen. Consumers (audit,
 * outbox, event feed) derive their rows from it. Events carry ids, changed fields and small
 * details (lengths, reasons), never message bodies, note bodies or secrets.
 */
export abstract class DomainEvent {
  /** Stable dotted name, e.g. `ticket.status_changed`. */
  abstract readonly type: string;
  /** What the event is about: `ticket`, `user`, `api_key`, … */
  abstract readonly resourceType: string;
  /** Its id (null when there is none, e.g. a failed login for an unknown email). */
  abstract readonly resourceId: string | null;
  /** The fields that changed. */
  readonly changes: FieldChanges = {};
  /** Extra facts worth keeping (lengths, reasons, related ids) — never bodies or secrets. */
  readonly details: Record<string, unknown> = {};
  readonly occurredAt: Date = new Date();
  /**
   * True when this event brings its resource into existence in this unit of work (a new
   * ticket): nobody else can know its id before the commit, so its audit chain starts here
   * with no head to look up or lock.
   */
  readonly opensResource: boolean = false;
  /**
   * Set by a recorder whose change holds the resource's row lock (`FOR UPDATE`) until it
   * commits, as every ticket change does: that lock already serializes the writers of the
   * resource's audit chain, so the chain's advisory lock is not taken again.
   */
  resourceLocked = false;
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
