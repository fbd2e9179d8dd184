import { DomainEvent, type FieldChanges } from '@helpdesk/common';
import type { SlaTarget } from './sla-progress';
import type { SlaPriority } from './sla-rules';

/** An admin changed a priority's targets. The resource id is the priority itself. */
export class SlaPolicyUpdated extends DomainEvent {
  readonly type = 'sla_policy.updated';
  readonly resourceType = 'sla_policy';

  constructor(
    readonly resourceId: SlaPriority,
    override readonly changes: FieldChanges,
  ) {
    super();
  }
}

/** An admin changed the business-hours calendar (a single resource, so no id). */
export class BusinessHoursUpdated extends DomainEvent {
  readonly type = 'business_hours.updated';
  readonly resourceType = 'business_hours';
  readonly resourceId = null;

  constructor(override readonly changes: FieldChanges) {
    super();
  }
}

/** What the SLA emails need to know about a ticket, carried on its SLA events. */
export interface SlaTicketRef {
  id: string;
  number: number;
  subject: string;
  priority: string;
  assigneeId: string | null;
}

/**
 * 75 % of a target's time has passed and it is not met. Recorded at most once per ticket and
 * target (`*_at_risk_notified_at`), by the sweep or by a lifecycle moment that finds it so. Not
 * audited; the notifications module emails the assignee and the support_managers.
 */
export class TicketSlaAtRisk extends DomainEvent {
  readonly type = 'ticket.sla_at_risk';
  readonly resourceType = 'ticket';
  readonly resourceId: string;

  constructor(
    readonly ticket: SlaTicketRef,
    readonly target: SlaTarget,
    readonly dueAt: Date,
  ) {
    super();
    this.resourceId = ticket.id;
    Object.assign(this.details, { target, due_at: dueAt.toISOString() });
  }
}

/**
 * A target was missed: its due time passed unmet, or it was met late. Recorded once per ticket
 * and target, in the same transaction as the `*_breached_at` mark; audited as
 * `ticket.sla.breach` with actor `system`.
 */
export class TicketSlaBreached extends DomainEvent {
  readonly type = 'ticket.sla_breached';
  readonly resourceType = 'ticket';
  readonly resourceId: string;

  constructor(
    readonly ticket: SlaTicketRef,
    readonly target: SlaTarget,
    readonly dueAt: Date,
    breachedAt: Date,
  ) {
    super();
    this.resourceId = ticket.id;
    this.changes[`${target}_breached_at`] = [null, breachedAt.toISOString()];
    Object.assign(this.details, { target, due_at: dueAt.toISOString() });
  }
}

/** The sweep closed a ticket left `resolved` for more than AUTO_CLOSE_DAYS (`ticket.auto_close`). */
export class TicketAutoClosed extends DomainEvent {
  readonly type = 'ticket.auto_closed';
  readonly resourceType = 'ticket';

  constructor(
    readonly resourceId: string,
    resolvedAt: Date,
    autoCloseDays: number,
  ) {
    super();
    Object.assign(this.details, {
      resolved_at: resolvedAt.toISOString(),
      auto_close_days: autoCloseDays,
    });
  }
}
