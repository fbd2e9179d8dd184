import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { FeedEventType } from './feed-event-types';

export type FeedActorType = 'user' | 'api_key' | 'system';

const bigintAsNumber = {
  from: (value: string | null) => (value === null ? null : Number(value)),
  to: (value: unknown) => value,
};

/**
 * One event of the feed (table `event`). Written with `sequence` NULL in the transaction of the
 * change; the sequencer gives it its number after that transaction committed.
 */
@Entity('event')
export class FeedEvent {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  type: FeedEventType;

  @Column('timestamptz')
  occurredAt: Date;

  /** Null until sequenced; readers never see an unsequenced row. */
  @Column({
    type: 'bigint',
    nullable: true,
    insert: false,
    update: false,
    transformer: bigintAsNumber,
  })
  sequence: number | null;

  @Column({ type: 'timestamptz', nullable: true, insert: false, update: false })
  sequencedAt: Date | null;

  @Column({ type: 'enum', enumName: 'event_actor_type', enum: ['user', 'api_key', 'system'] })
  actorType: FeedActorType;

  @Column('uuid', { nullable: true })
  actorId: string | null;

  @Column('uuid', { nullable: true })
  ticketId: string | null;

  /** `{ticket: StaffTicket, …event-specific fields}` as the change's transaction saw it. */
  @Column('jsonb')
  data: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}

/** A feed event that has its number. */
export type SequencedFeedEvent = FeedEvent & { sequence: number };
