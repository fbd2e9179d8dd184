import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';
import type { NotificationEvent } from './notification-events';

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * One email in the outbox. It is rendered when planned, inside the transaction of the change that
 * causes it, so delivery needs nothing but this row (and a job carries only its id).
 */
@Entity('notification')
export class Notification {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  @Column('text')
  event: NotificationEvent;

  @Column('text')
  recipient: string;

  @Column('text')
  subject: string;

  @Column('text')
  textBody: string;

  @Column('text')
  htmlBody: string;

  /** The ticket the email is about, if any (no foreign key: notifications outlive tickets). */
  @Column('uuid', { nullable: true })
  ticketId: string | null;

  /** `<notification-id@mail-domain>`: stable across retries, so receivers can dedupe. */
  @Column('text')
  messageIdHeader: string;

  @Column('text', { nullable: true })
  inReplyTo: string | null;

  /** The `References` header (`references` is an SQL keyword, hence the suffix). */
  @Column('text', { array: true, default: () => "'{}'" })
  referencesHeader: string[];

  @Column('text', { nullable: true })
  replyTo: string | null;

  @Column('text', { default: 'pending' })
  status: NotificationStatus;

  /** Delivery attempts made since it was planned (or since an admin last retried it). */
  @Column('integer', { default: 0 })
  attempts: number;

  @Column('text', { nullable: true })
  lastError: string | null;

  /** When the relay last put it on the Bull queue; null while it still has to be enqueued. */
  @Column('timestamptz', { nullable: true })
  queuedAt: Date | null;

  /** When the queue will try again after a failed attempt (informational, and for the sweep). */
  @Column('timestamptz', { nullable: true })
  nextAttemptAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  sentAt: Date | null;
}
