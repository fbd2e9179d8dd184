import { DomainEvent, type FieldChanges } from '@helpdesk/common';
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
