import { Column, CreateDateColumn, DeleteDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';
import type { AttachmentVisibility } from './attachment-visibility';

/**
 * DRAFT, not registered in `src/database/entities.ts` and without a migration yet: the table and
 * its foreign keys (ticket, ticket_message, app_user) come with the attachment endpoints, once
 * the tickets module exists.
 *
 * One stored file. The bytes live in AttachmentStorage under `storageKey`; deleting an attachment
 * soft-deletes the row (`deletedAt`, kept for the audit trail) and removes the bytes.
 */
@Entity('attachment')
export class Attachment {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  @Column('uuid')
  ticketId: string;

  /** The message it was sent with, if any. */
  @Column('uuid', { nullable: true })
  messageId: string | null;

  /** Sanitised (see file-name.ts); shown and sent back in Content-Disposition. */
  @Column('text')
  fileName: string;

  /** Decided by the file's bytes (FileTypePolicy), never by the client. */
  @Column('text')
  contentType: string;

  /** Bytes; MAX_ATTACHMENT_BYTES is capped below 2³¹, so an integer holds it. */
  @Column('integer')
  size: number;

  /** Lower-case hex sha256 of the stored bytes. */
  @Column('text')
  sha256: string;

  @Column('text', { default: 'public' })
  visibility: AttachmentVisibility;

  @Column('text')
  storageKey: string;

  /** The user who uploaded it; null when it was not a user (an API-key integration). */
  @Column('uuid', { nullable: true })
  uploadedById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @DeleteDateColumn({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
