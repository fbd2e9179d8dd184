import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { isUUID } from 'class-validator';
import {
  DomainEvents,
  ForbiddenError,
  NotFoundError,
  UnitOfWork,
  uuidv7,
  ValidationFailedError,
  type Actor,
} from '@helpdesk/common';
import { MessagesService } from 'src/messages/messages.service';
import type { Ticket } from 'src/tickets/ticket.entity';
import { TicketsService } from 'src/tickets/tickets.service';
import { hasStaffRole, isStaffRole } from 'src/access/roles';
import { AttachmentIntake, type MultipartSource, type ReceivedFile } from './attachment-intake';
import { UploadQuotas } from './upload-quotas';
import { ATTACHMENT_VISIBILITIES, type AttachmentVisibility } from './attachment-visibility';
import { Attachment } from './attachment.entity';
import { TicketAttachmentAdded, TicketAttachmentDeleted } from './attachments.events';
import { AttachmentsRepository } from './attachments.repository';
import type { AttachmentAudience } from './dto/attachment.response';
import { AttachmentStorage, StoredObjectNotFoundError } from './storage/attachment-storage';
import { assertAllowed } from 'src/tickets/ticket-policy';
import { snapshotOf, withSnapshot } from 'src/tickets/ticket-snapshot';

/** The text fields an upload form may carry besides its files. */
const UPLOAD_FIELDS = ['visibility', 'message_id'] as const;

interface UploadFields {
  visibility: AttachmentVisibility;
  messageId: string | null;
}

/** What a download needs: the row (type, name, size) and its bytes as a stream. */
export interface AttachmentContent {
  attachment: Attachment;
  content: Readable;
}

/**
 * Attachments (API.md sections 5 and 7). The rules:
 * - staff see and download every attachment of a ticket; customers and ticket tokens only the
 *   public ones of the ticket they may see. Anything else is 404, never 403.
 * - staff choose `public` (default) or `internal`; customer uploads are always public and are
 *   refused on closed tickets (409 TICKET_CLOSED), like customer messages.
 * - `message_id` must name a message of the same ticket (422); a customer may only attach files
 *   to their own messages, so an agent's message never shows a file the agent did not send.
 * - the uploader or a support_manager+ may delete. A customer may delete their own uploads (a
 *   wrong screenshot, a file with a password in it) while the ticket is not closed; the row is
 *   kept, soft-deleted, so the record of what was there stays in the audit trail.
 */
@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger(AttachmentsService.name);

  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly tickets: TicketsService,
    private readonly messages: MessagesService,
    private readonly intake: AttachmentIntake,
    private readonly storage: AttachmentStorage,
    private readonly unitOfWork: UnitOfWork,
    private readonly domainEvents: DomainEvents,
    private readonly quotas: UploadQuotas,
  ) {}

  /**
   * Streams the upload's files into storage, then writes their rows in one unit of work. Call
   * it outside any transaction: a slow upload must not hold a database connection. If the rows
   * cannot be written, the stored files are deleted again.
   */
  async upload(
    actor: Actor,
    ticketId: string,
    upload: MultipartSource,
    audience: AttachmentAudience,
  ): Promise<Attachment[]> {
    // Refuse what we can before reading a byte: an invisible ticket, a closed one for customers.
    const ticket = await this.tickets.getVisible(actor, ticketId);
    const quota =
      audience === 'customer' ? { actor, ticketId, requesterId: ticket.requesterId } : null;
    if (audience === 'customer') assertAllowed('customer_attachment', actor, ticket);
    if (quota) await this.quotas.assertRoom(quota, 1, 1);

    const received = await this.intake.receive(upload, { fields: UPLOAD_FIELDS });
    try {
      const fields = parseUploadFields(received.fields, audience);
      const bytes = received.files.reduce((sum, file) => sum + file.size, 0);
      if (quota) await this.quotas.assertRoom(quota, received.files.length, bytes);
      const saved = await this.unitOfWork.run(() =>
        this.record(actor, ticketId, received.files, fields, audience),
      );
      if (quota) await this.quotas.record(quota, received.files.length, bytes);
      return saved;
    } catch (error) {
      await this.intake.discard(received.files);
      throw error;
    }
  }

  /** Every attachment of a ticket, internal ones included (staff list). */
  async listForStaff(actor: Actor, ticketId: string): Promise<Attachment[]> {
    await this.tickets.getVisible(actor, ticketId);
    return this.attachments.forTicket(ticketId);
  }

  /** A ticket's attachments for a detail view the caller already checked access to. */
  forTicketView(ticketId: string, audience: AttachmentAudience): Promise<Attachment[]> {
    return this.attachments.forTicket(ticketId, audience === 'customer' ? 'public' : undefined);
  }

  /** The attachments of a conversation's messages, in one query. */
  forMessages(messageIds: readonly string[], audience: AttachmentAudience): Promise<Attachment[]> {
    return this.attachments.forMessages(messageIds, audience === 'customer' ? 'public' : undefined);
  }

  /** An attachment's bytes for a caller who may see it (404 otherwise). */
  async openContent(actor: Actor, id: string): Promise<AttachmentContent> {
    const { attachment } = await this.findVisible(actor, id, 'read');
    try {
      return { attachment, content: await this.storage.get(attachment.storageKey) };
    } catch (error) {
      if (error instanceof StoredObjectNotFoundError) {
        // The database and the store disagree: worth a look, but still a 404 to the caller.
        this.logger.error({ attachmentId: id }, 'attachment row without stored bytes');
      }
      throw error;
    }
  }

  /**
   * Deletes an attachment: the row in a unit of work, then — once that committed — its bytes.
   * Bytes go last so a failed or rolled-back delete never leaves a row without content.
   */
  async remove(actor: Actor, id: string): Promise<void> {
    const removed = await this.unitOfWork.run(async () => {
      const { attachment, ticket } = await this.findVisible(actor, id, 'change');
      assertMayDelete(actor, attachment, ticket);
      // The ticket lock serialises deletes; the loser of a race finds nothing left to delete.
      if (!(await this.attachments.markDeleted(id))) throw attachmentNotFound(id);
      ticket.attachmentCount = Math.max((ticket.attachmentCount ?? 1) - 1, 0);
      this.domainEvents.record(new TicketAttachmentDeleted(attachment));
      return attachment;
    });
    try {
      await this.storage.delete(removed.storageKey);
    } catch (error) {
      // The attachment is deleted for everyone; only its bytes are left over. Its row (with
      // deleted_at and storage_key) says which file to remove.
      this.logger.error(
        { err: error, attachmentId: id, storageKey: removed.storageKey },
        'could not delete the bytes of a deleted attachment',
      );
    }
  }

  private async record(
    actor: Actor,
    ticketId: string,
    files: readonly ReceivedFile[],
    fields: UploadFields,
    audience: AttachmentAudience,
  ): Promise<Attachment[]> {
    // Checked again under the ticket's lock: it may have closed or gone while bytes arrived.
    const ticket = await this.tickets.lockForChange(actor, ticketId);
    if (audience === 'customer') assertAllowed('customer_attachment', actor, ticket);
    if (fields.messageId) await this.assertLinkable(ticketId, fields.messageId, audience);

    const uploader = uploaderOf(actor, ticket);
    // One transaction means one created_at for all; sorted v7 ids keep the files in sent order.
    const ids = files.map(() => uuidv7()).sort();
    const rows = files.map((file, index) =>
      Object.assign(new Attachment(), {
        id: ids[index],
        ticketId,
        messageId: fields.messageId,
        fileName: file.fileName,
        contentType: file.contentType,
        size: file.size,
        sha256: file.sha256,
        visibility: fields.visibility,
        storageKey: file.storageKey,
        uploadedById: uploader.id,
        uploadedByName: uploader.name,
      }),
    );
    const saved = await this.attachments.insertMany(rows);
    // The locked ticket's count was read before these rows; the snapshot describes it after them.
    ticket.attachmentCount = (ticket.attachmentCount ?? 0) + saved.length;
    const snapshot = snapshotOf(ticket);
    for (const attachment of saved) {
      this.domainEvents.record(withSnapshot(new TicketAttachmentAdded(attachment), snapshot));
    }
    return saved;
  }

  private async assertLinkable(
    ticketId: string,
    messageId: string,
    audience: AttachmentAudience,
  ): Promise<void> {
    const message = await this.messages.findInTicket(ticketId, messageId);
    if (!message) {
      throw ValidationFailedError.forField(
        'message_id',
        'message_id must be a message of this ticket',
      );
    }
    if (audience === 'customer' && message.senderType !== 'customer') {
      throw ValidationFailedError.forField('message_id', 'message_id must be one of your messages');
    }
  }

  /**
   * The attachment and its ticket when the caller may see both, else 404 (for customers and
   * ticket tokens, internal attachments do not exist). `change` also locks the ticket.
   */
  private async findVisible(
    actor: Actor,
    id: string,
    purpose: 'read' | 'change',
  ): Promise<{ attachment: Attachment; ticket: Ticket }> {
    const attachment = await this.attachments.findLive(id);
    if (!attachment) throw attachmentNotFound(id);
    if (!isStaffRole(actor.role) && attachment.visibility !== 'public') {
      throw attachmentNotFound(id);
    }
    try {
      const ticket =
        purpose === 'change'
          ? await this.tickets.lockForChange(actor, attachment.ticketId)
          : await this.tickets.getVisible(actor, attachment.ticketId);
      return { attachment, ticket };
    } catch (error) {
      // Say nothing about the ticket (not even its id) to someone who may not see it.
      if (error instanceof NotFoundError) throw attachmentNotFound(id);
      throw error;
    }
  }
}

function attachmentNotFound(id: string): NotFoundError {
  return new NotFoundError(`No attachment ${id}.`);
}

/**
 * `visibility` (staff only; customers' uploads are public whatever they send) and `message_id`.
 * The intake already refused unknown and repeated fields.
 */
function parseUploadFields(
  fields: Record<string, string>,
  audience: AttachmentAudience,
): UploadFields {
  let visibility: AttachmentVisibility = 'public';
  if (audience === 'staff' && fields.visibility !== undefined) {
    if (!(ATTACHMENT_VISIBILITIES as readonly string[]).includes(fields.visibility)) {
      throw ValidationFailedError.forField(
        'visibility',
        `visibility must be one of: ${ATTACHMENT_VISIBILITIES.join(', ')}`,
      );
    }
    visibility = fields.visibility as AttachmentVisibility;
  }
  const messageId = fields.message_id;
  if (messageId !== undefined && !isUUID(messageId)) {
    throw ValidationFailedError.forField('message_id', 'message_id must be a UUID');
  }
  return { visibility, messageId: messageId ?? null };
}

/** Who an upload is recorded as: a user, a ticket token's requester, or an integration by name. */
function uploaderOf(actor: Actor, ticket: Ticket): { id: string | null; name: string | null } {
  switch (actor.type) {
    case 'user':
      return { id: actor.id, name: null };
    case 'ticket_token':
      return { id: ticket.requesterId, name: null };
    case 'api_key':
      return { id: null, name: actor.name ?? 'Integration' };
    case 'system':
      return { id: null, name: actor.name ?? 'System' };
  }
}

function assertMayDelete(actor: Actor, attachment: Attachment, ticket: Ticket): void {
  if (hasStaffRole(actor.role, 'support_manager')) return;
  const isUploader =
    actor.type === 'user' && actor.id !== null && actor.id === attachment.uploadedById;
  if (!isUploader) {
    throw new ForbiddenError('Only the uploader or a support manager may delete an attachment.');
  }
  if (actor.role === 'customer') assertAllowed('customer_attachment', actor, ticket);
}
