import { DomainEvent } from '@helpdesk/common';
import type { Attachment } from './attachment.entity';

/** What the audit log keeps about an attachment: ids and facts, never its name or bytes. */
function detailsOf(attachment: Attachment): Record<string, unknown> {
  return {
    attachment_id: attachment.id,
    size: attachment.size,
    content_type: attachment.contentType,
    visibility: attachment.visibility,
  };
}

/** One file attached to a ticket (an upload of several files records one event per file). */
export class TicketAttachmentAdded extends DomainEvent {
  readonly type = 'ticket.attachment_added';
  readonly resourceType = 'ticket';
  readonly resourceId: string;
  readonly attachmentId: string;

  constructor(attachment: Attachment) {
    super();
    this.resourceId = attachment.ticketId;
    this.attachmentId = attachment.id;
    Object.assign(this.details, detailsOf(attachment));
  }
}

export class TicketAttachmentDeleted extends DomainEvent {
  readonly type = 'ticket.attachment_deleted';
  readonly resourceType = 'ticket';
  readonly resourceId: string;
  readonly attachmentId: string;

  constructor(attachment: Attachment) {
    super();
    this.resourceId = attachment.ticketId;
    this.attachmentId = attachment.id;
    Object.assign(this.details, detailsOf(attachment));
  }
}
