import { DomainEvent } from '@helpdesk/common';

export class TicketNoteCreated extends DomainEvent {
  readonly type = 'ticket.note_created';
  readonly resourceType = 'ticket';

  constructor(
    readonly resourceId: string,
    readonly noteId: string,
    bodyLength: number,
  ) {
    super();
    Object.assign(this.details, { note_id: noteId, body_length: bodyLength });
  }
}

export class TicketNoteDeleted extends DomainEvent {
  readonly type = 'ticket.note_deleted';
  readonly resourceType = 'ticket';

  constructor(
    readonly resourceId: string,
    readonly noteId: string,
    bodyLength: number,
  ) {
    super();
    Object.assign(this.details, { note_id: noteId, body_length: bodyLength });
  }
}
