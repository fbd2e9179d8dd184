import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { EVENT_SEQUENCER_LOCK_KEY } from './events.constants';
import type { FeedEventType } from './feed-event-types';
import { FeedEvent, type FeedActorType, type SequencedFeedEvent } from './feed-event.entity';

/** What the sequencer tells its listeners about each event it numbered. */
export interface SequencedEventRef {
  id: string;
  type: FeedEventType;
  sequence: number;
  ticketId: string | null;
}

interface EventRow {
  id: string;
  type: FeedEventType;
  occurred_at: Date;
  sequence: string;
  sequenced_at: Date;
  actor_type: FeedActorType;
  actor_id: string | null;
  ticket_id: string | null;
  data: Record<string, unknown>;
  recorded_at: Date;
}

interface NumberedRow {
  id: string;
  type: FeedEventType;
  sequence: string;
  ticket_id: string | null;
}

function fromRow(row: EventRow): SequencedFeedEvent {
  const event: SequencedFeedEvent = Object.assign(new FeedEvent(), {
    id: row.id,
    type: row.type,
    occurredAt: row.occurred_at,
    sequence: Number(row.sequence),
    sequencedAt: row.sequenced_at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    ticketId: row.ticket_id,
    data: row.data,
    recordedAt: row.recorded_at,
  });
  return event;
}

@Injectable()
export class EventsRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo() {
    return this.txHost.tx.getRepository(FeedEvent);
  }

  async insertMany(events: FeedEvent[]): Promise<void> {
    // jsonb `data` is plain JSON; TypeORM's deep-partial type cannot tell.
    await this.repo.insert(events as QueryDeepPartialEntity<FeedEvent>[]);
  }

  /**
   * Serialises sequencers across every process for the rest of the transaction. Taken before
   * anything is read, so each sequencer transaction sees every row the previous one numbered.
   */
  async lockSequencer(): Promise<void> {
    await this.txHost.tx.query('SELECT pg_advisory_xact_lock($1)', [EVENT_SEQUENCER_LOCK_KEY]);
  }

  /** Committed rows still waiting for their number, oldest id (= recording order) first. */
  async unsequencedIds(limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.txHost.tx.query(
      'SELECT id FROM event WHERE sequence IS NULL ORDER BY id LIMIT $1',
      [limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Numbers `ids` in the given order with a block of the sequence reserved in one statement.
   * Only the sequencer (holding its lock) draws from event_sequence_seq.
   */
  async assignSequences(ids: string[]): Promise<SequencedEventRef[]> {
    const [{ last }] = await this.txHost.tx.query<{ last: string }[]>(
      `SELECT setval('event_sequence_seq', nextval('event_sequence_seq') + $1 - 1) AS last`,
      [ids.length],
    );
    const first = Number(last) - ids.length + 1;
    const [rows] = await this.txHost.tx.query<[NumberedRow[], number]>(
      `UPDATE event e
          SET sequence = $1::bigint + v.position - 1, sequenced_at = now()
         FROM unnest($2::uuid[]) WITH ORDINALITY AS v(id, position)
        WHERE e.id = v.id AND e.sequence IS NULL
        RETURNING e.id, e.type, e.sequence, e.ticket_id`,
      [first, ids],
    );
    return rows
      .map((row) => ({
        id: row.id,
        type: row.type,
        sequence: Number(row.sequence),
        ticketId: row.ticket_id,
      }))
      .sort((a, b) => a.sequence - b.sequence);
  }

  async countUnsequenced(): Promise<number> {
    const [{ count }] = await this.txHost.tx.query<{ count: string }[]>(
      'SELECT count(*) AS count FROM event WHERE sequence IS NULL',
    );
    return Number(count);
  }

  /** The highest sequence committed so far (0 for an empty feed). */
  async head(): Promise<number> {
    const [{ head }] = await this.txHost.tx.query<{ head: string }[]>(
      'SELECT coalesce(max(sequence), 0) AS head FROM event',
    );
    return Number(head);
  }

  /**
   * Up to `limit` sequenced events after `after` (of `types`, when given), in sequence order,
   * with the feed's head read in the same statement — one snapshot, so a reader may skip to the
   * head knowing nothing at or below it can still appear.
   */
  async pageAfter(
    after: number,
    types: readonly FeedEventType[] | undefined,
    limit: number,
  ): Promise<{ items: SequencedFeedEvent[]; head: number }> {
    const rows: (Partial<EventRow> & { head: string })[] = await this.txHost.tx.query(
      `SELECT h.head, e.*
         FROM (SELECT coalesce(max(sequence), 0) AS head FROM event) h
         LEFT JOIN LATERAL (
           SELECT * FROM event
            WHERE sequence > $1 AND ($2::text[] IS NULL OR type = ANY($2::text[]))
            ORDER BY sequence
            LIMIT $3
         ) e ON true
        ORDER BY e.sequence`,
      [after, types?.length ? types : null, limit],
    );
    const head = rows.length ? Number(rows[0].head) : 0;
    const items = rows.filter((row) => row.id != null).map((row) => fromRow(row as EventRow));
    return { items, head };
  }

  async findSequenced(id: string): Promise<SequencedFeedEvent | null> {
    const rows: EventRow[] = await this.txHost.tx.query(
      'SELECT * FROM event WHERE id = $1 AND sequence IS NOT NULL',
      [id],
    );
    return rows.length ? fromRow(rows[0]) : null;
  }
}
