import { DomainEvent } from '@helpdesk/common';

/** The assignee changed; the notifications module emails the new assignee. */
export class TicketAssigned extends DomainEvent {
  readonly type = 'ticket.assigned';
  readonly resourceType = 'ticket';

  constructor(
    readonly resourceId: string,
    readonly fromId: string | null,
    readonly toId: string | null,
    reason: string | null,
  ) {
    super();
    this.changes.assignee_id = [fromId, toId];
    if (reason) this.details.reason_length = reason.length;
  }
}
