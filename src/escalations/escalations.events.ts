import { DomainEvent } from '@helpdesk/common';

/**
 * A manager escalated a ticket. The notifications module emails the support_managers and
 * `notify_email`; it reads the reason from the ticket (events carry its length, not its text).
 */
export class TicketEscalated extends DomainEvent {
  readonly type = 'ticket.escalated';
  readonly resourceType = 'ticket';

  constructor(
    readonly resourceId: string,
    readonly notifyEmail: string | null,
    reasonLength: number,
    alreadyEscalated: boolean,
  ) {
    super();
    this.changes.escalated = [alreadyEscalated, true];
    Object.assign(this.details, {
      reason_length: reasonLength,
      notify_email: notifyEmail,
      re_escalation: alreadyEscalated,
    });
  }
}
