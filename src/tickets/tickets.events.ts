import { DomainEvent, type FieldChanges } from '@helpdesk/common';

/** Every ticket event names its ticket; consumers load what they need by id. */
abstract class TicketEvent extends DomainEvent {
  readonly resourceType = 'ticket';

  constructor(readonly resourceId: string) {
    super();
  }

  get ticketId(): string {
    return this.resourceId;
  }
}

export class TicketCreated extends TicketEvent {
  readonly type = 'ticket.created';
  override readonly opensResource = true;

  constructor(
    ticketId: string,
    readonly ticket: {
      number: number;
      channel: string;
      priority: string;
      status: string;
      requesterId: string;
      assigneeId: string | null;
    },
    /** The plain access token, for the customer's receipt only. Consumers must not persist it elsewhere. */
    readonly accessToken: string,
    messageLength: number,
  ) {
    super(ticketId);
    Object.assign(this.changes, {
      status: [null, ticket.status],
      priority: [null, ticket.priority],
      channel: [null, ticket.channel],
      requester_id: [null, ticket.requesterId],
      ...(ticket.assigneeId ? { assignee_id: [null, ticket.assigneeId] } : {}),
    });
    Object.assign(this.details, { number: ticket.number, message_length: messageLength });
  }
}

export class TicketUpdated extends TicketEvent {
  readonly type = 'ticket.updated';

  constructor(
    ticketId: string,
    override readonly changes: FieldChanges,
  ) {
    super(ticketId);
  }
}

export class TicketPriorityChanged extends TicketEvent {
  readonly type = 'ticket.priority_changed';

  constructor(ticketId: string, from: string, to: string) {
    super(ticketId);
    this.changes.priority = [from, to];
  }
}

export class TicketStatusChanged extends TicketEvent {
  readonly type = 'ticket.status_changed';

  constructor(
    ticketId: string,
    readonly from: string,
    readonly to: string,
    /** Why the status moved: an explicit change, a reply, a customer message, the system. */
    readonly cause: 'status_change' | 'agent_reply' | 'customer_reply' | 'auto_close' | 'bulk',
    resolutionNotesLength?: number,
  ) {
    super(ticketId);
    this.changes.status = [from, to];
    this.details.cause = cause;
    if (resolutionNotesLength !== undefined)
      this.details.resolution_notes_length = resolutionNotesLength;
  }
}

export class TicketDeleted extends TicketEvent {
  readonly type = 'ticket.deleted';
}

/** A ticket's access token was replaced (the old one stops working); never carries the token. */
export class TicketAccessTokenRotated extends TicketEvent {
  readonly type = 'ticket.access_token_rotated';

  constructor(ticketId: string, by: 'staff' | 'customer') {
    super(ticketId);
    Object.assign(this.details, { by });
  }
}
