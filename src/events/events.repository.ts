import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DeferredInserts } from '@helpdesk/common';
import type { FeedEventType } from './feed-event-types';
import { FeedEvent, type FeedActorType, type SequencedFeedEvent } from './feed-event.entity';
import type { SequencerCursor, SequencingWindow } from './sequencer-cursor';

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

interface CursorRow {
  after_txid: string;
  after_id: string;
  in_flight: string[];
}

interface WindowQueryRow {
  xmax: string;
  xip: string[];
  id: string | null;
  txid: string | null;
  pending: boolean | null;
}

interface NumberedRow {
  id: string;
  type: FeedEventType;
  sequence: string;
  ticket_id: string | null;
}

/**
 * Index scans only, for the sequencer's transaction. Its window is a few rows at the end of a
 * large table, but without statistics (autovacuum off: no autoanalyze either) the planner guesses
 * a third of the table matches and, for a table of a few thousand rows, prefers a sequential scan
 * — measured: 125 buffers where the index reads 5. `set_config(…, true)` lasts to the commit.
 */
export const SEQUENCER_PLANNER_SETTINGS =
  "set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)";

/**
 * The sequencer's window (see EventsRepository.sequencingWindow); exported so a test can
 * EXPLAIN the very statement the sequencer runs.
 */
export const SEQUENCING_WINDOW_SQL = `WITH window_rows AS (
    (SELECT id, txid, sequence IS NULL AS pending FROM event
      WHERE txid = ANY($1::bigint[]) ORDER BY txid, id LIMIT $4)
    UNION ALL
    (SELECT id, txid, sequence IS NULL AS pending FROM event
      WHERE (txid, id) > ($2::bigint, $3::uuid) ORDER BY txid, id LIMIT $4)
    ORDER BY txid, id LIMIT $4)
  SELECT pg_snapshot_xmax(s.snapshot)::text AS xmax,
    ARRAY(SELECT pg_snapshot_xip(s.snapshot)::text) AS xip,
    w.id, w.txid::text AS txid, w.pending
    FROM (SELECT pg_current_snapshot() AS snapshot) s
    LEFT JOIN window_rows w ON true
   ORDER BY w.txid, w.id`;

export function sequencingWindowParams(cursor: SequencerCursor, limit: number): unknown[] {
  return [cursor.inFlight.map(String), String(cursor.afterTxid), cursor.afterId, limit];
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
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly deferredInserts: DeferredInserts,
  ) {}

  private get repo() {
    return this.txHost.tx.getRepository(FeedEvent);
  }

  async insertMany(events: FeedEvent[]): Promise<void> {
    // Sent with the unit of work's other consumer inserts (DeferredInserts).
    await this.deferredInserts.insert(this.txHost.tx, FeedEvent, events);
  }

  /**
   * Locks the sequencer's cursor for the rest of the transaction and reads it: the row lock
   * serialises sequencers across every process, and a pass that waited for it reads the cursor
   * its predecessor committed. Also sets SEQUENCER_PLANNER_SETTINGS for the transaction.
   */
  async lockCursor(): Promise<SequencerCursor> {
    const [row] = await this.txHost.tx.query<CursorRow[]>(
      `SELECT ${SEQUENCER_PLANNER_SETTINGS}, after_txid, after_id, in_flight::text[] AS in_flight
         FROM event_sequencer_state FOR UPDATE`,
    );
    return {
      afterTxid: BigInt(row.after_txid),
      afterId: row.after_id,
      inFlight: row.in_flight.map((xid) => BigInt(xid)),
    };
  }

  async saveCursor(cursor: SequencerCursor): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE event_sequencer_state SET after_txid = $1, after_id = $2, in_flight = $3::bigint[]`,
      [String(cursor.afterTxid), cursor.afterId, cursor.inFlight.map(String)],
    );
  }

  /**
   * The rows the cursor says may need a number, up to `limit` in `(txid, id)` order, with the
   * snapshot they were read in — one statement, so the snapshot is the one the rows were seen
   * with. Both halves are ordered index range scans on event_txid_id_idx that start where the
   * cursor points, whatever dead versions lie below it.
   */
  async sequencingWindow(cursor: SequencerCursor, limit: number): Promise<SequencingWindow> {
    const rows = await this.txHost.tx.query<WindowQueryRow[]>(
      SEQUENCING_WINDOW_SQL,
      sequencingWindowParams(cursor, limit),
    );
    return {
      xmax: BigInt(rows[0].xmax),
      xip: rows[0].xip.map((xid) => BigInt(xid)),
      rows: rows
        .filter((row) => row.id !== null)
        .map((row) => ({ id: row.id!, txid: BigInt(row.txid!), pending: row.pending! })),
    };
  }

  /**
   * Numbers `ids` in the given order with a block of the sequence reserved in one statement.
   * Only the sequencer (holding its cursor's lock) draws from event_sequence_seq.
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

  /**
   * Committed rows still waiting for their number, counted in the cursor's window (never the
   * whole table) and at most `cap`: a number that grows means the sequencer is not running.
   */
  async countUnsequenced(cap = 10_000): Promise<number> {
    const [{ count }] = await this.txHost.tx.query<{ count: string }[]>(
      `SELECT count(*) FILTER (WHERE w.pending) AS count
         FROM event_sequencer_state s
         CROSS JOIN LATERAL (
           (SELECT sequence IS NULL AS pending FROM event
             WHERE txid = ANY(s.in_flight) ORDER BY txid, id LIMIT $1)
           UNION ALL
           (SELECT sequence IS NULL AS pending FROM event
             WHERE (txid, id) > (s.after_txid, s.after_id) ORDER BY txid, id LIMIT $1)
         ) w`,
      [cap],
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
