import { DomainEvent, type FieldChanges } from '@helpdesk/common';
import type { NotificationStatus } from './notification.entity';

/** An admin put a failed (or stuck) notification back on the queue. */
export class NotificationRetried extends DomainEvent {
  readonly type = 'notification.retried';
  readonly resourceType = 'notification';
  override readonly changes: FieldChanges;

  constructor(
    readonly resourceId: string,
    previousStatus: NotificationStatus,
    previousAttempts: number,
  ) {
    super();
    this.changes = { status: [previousStatus, 'pending'], attempts: [previousAttempts, 0] };
  }
}
