import {
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { uuidv7 } from '@helpdesk/common';
import { User } from 'src/users/user.entity';
import type { AttachmentVisibility } from './attachment-visibility';

/**
 * One stored file (migration 1763712800000-Attachments). The bytes live in AttachmentStorage
 * under `storageKey`; deleting an attachment soft-deletes the row (`deletedAt`, kept for the audit
 * trail: who uploaded what, its sha256) and then removes the bytes.
 */
@Entity('attachment')
export class Attachment {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  @Column('uuid')
  ticketId: string;

  /** The message it was sent with, if any (always a message of the same ticket). */
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

  /** The user who uploaded it (for a ticket token: the ticket's requester); null for API keys. */
  @Column('uuid', { nullable: true })
  uploadedById: string | null;

  @ManyToOne(() => User, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'uploaded_by_id' })
  uploadedBy?: User | null;

  /** Display name of an uploader that is not a user (an API key's name). */
  @Column('text', { nullable: true })
  uploadedByName: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @DeleteDateColumn({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
