import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
  VersionColumn,
  VirtualColumn,
} from 'typeorm';
import { uuidv7 } from '@helpdesk/common';
import { User } from 'src/users/user.entity';
import {
  TICKET_SLA_STATES,
  type TicketChannel,
  type TicketPriority,
  type TicketSlaState,
} from './ticket-enums';
import type { TicketStatus } from './ticket-status';

export type TicketCreatorType = 'user' | 'api_key' | 'system';

export type CustomFields = Record<string, string | number | boolean | null>;

@Entity('ticket')
export class Ticket {
  @PrimaryColumn('uuid')
  id: string = uuidv7();

  /** Human number from a sequence: never reused, never changed. */
  @Column({
    type: 'bigint',
    insert: false,
    update: false,
    transformer: {
      from: (v: string | null) => (v === null ? v : Number(v)),
      to: (v: unknown) => v,
    },
  })
  number: number;

  @Column('text')
  subject: string;

  @Column({
    type: 'enum',
    enumName: 'ticket_status',
    enum: ['open', 'in_progress', 'pending', 'waiting_customer', 'resolved', 'closed'],
  })
  status: TicketStatus;

  @Column({ type: 'enum', enumName: 'ticket_priority', enum: ['low', 'normal', 'high', 'urgent'] })
  priority: TicketPriority;

  @Column('text', { nullable: true })
  category: string | null;

  @Column({
    type: 'enum',
    enumName: 'ticket_channel',
    enum: ['web', 'email', 'phone', 'api', 'chat'],
  })
  channel: TicketChannel;

  @Column('uuid')
  requesterId: string;

  @ManyToOne(() => User, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'requester_id' })
  requester?: User;

  @Column('uuid', { nullable: true })
  assigneeId: string | null;

  @ManyToOne(() => User, { createForeignKeyConstraints: false, nullable: true })
  @JoinColumn({ name: 'assignee_id' })
  assignee?: User | null;

  @Column('text', { array: true, default: () => "'{}'" })
  tags: string[];

  @Column('jsonb', { default: () => "'{}'" })
  customFields: CustomFields;

  @Column('text', { nullable: true })
  resolutionNotes: string | null;

  @Column('timestamptz', { nullable: true })
  resolvedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  firstRespondedAt: Date | null;

  @Column('boolean', { default: false })
  escalated: boolean;

  @Column('text', { nullable: true })
  escalationReason: string | null;

  @Column('timestamptz', { nullable: true })
  escalatedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  firstResponseDueAt: Date | null;

  @Column('timestamptz', { nullable: true })
  firstResponseAtRiskAt: Date | null;

  @Column('timestamptz', { nullable: true })
  firstResponseBreachedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  resolutionDueAt: Date | null;

  @Column('timestamptz', { nullable: true })
  resolutionAtRiskAt: Date | null;

  @Column('timestamptz', { nullable: true })
  resolutionBreachedAt: Date | null;

  // The SLA module's bookkeeping (docs/sla.md): when each target was met or counted as at risk,
  // the resolution clock's pauses, the stored state and when the sweep must look again.
  @Column('timestamptz', { nullable: true })
  firstResponseMetAt: Date | null;

  @Column('timestamptz', { nullable: true })
  firstResponseAtRiskNotifiedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  resolutionAtRiskNotifiedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  slaPausedAt: Date | null;

  @Column('double precision', { default: 0 })
  slaPausedCalendarMinutes: number;

  @Column('double precision', { default: 0 })
  slaPausedBusinessMinutes: number;

  @Column({ type: 'enum', enumName: 'ticket_sla_state', enum: TICKET_SLA_STATES, default: 'ok' })
  slaState: TicketSlaState;

  @Column('timestamptz', { nullable: true })
  slaNextCheckAt: Date | null;

  @Column('text', { nullable: true, select: false })
  accessTokenHash: string | null;

  /** When the access token was issued or last rotated (the database sets it on insert). */
  @Column('timestamptz', { nullable: true, select: false })
  accessTokenIssuedAt: Date | null;
  /** Who opened it, named as the event feed names actors (null only for rows before 2026-12). */
  @Column('text', { nullable: true })
  createdByType: TicketCreatorType | null;

  @Column('uuid', { nullable: true })
  createdById: string | null;

  /**
   * Customer-visible messages after the opening one (agent replies and customer follow-ups), and
   * live attachments, counted when the ticket is read (two index lookups per ticket read).
   */
  @VirtualColumn({
    type: 'int',
    query: (t) =>
      `SELECT GREATEST(count(*) - 1, 0)::int FROM ticket_message m WHERE m.ticket_id = ${t}.id`,
  })
  replyCount?: number;

  @VirtualColumn({
    type: 'int',
    query: (t) =>
      `SELECT count(*)::int FROM attachment a WHERE a.ticket_id = ${t}.id AND a.deleted_at IS NULL`,
  })
  attachmentCount?: number;

  @VersionColumn()
  version: number;

  @Column('timestamptz', { nullable: true })
  deletedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
