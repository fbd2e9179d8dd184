import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event sequencer finds unsequenced rows through a cursor over the writing transaction's id
 * instead of a partial index on `sequence IS NULL`. That partial index kept one dead entry per
 * numbered event until VACUUM, and every lookup walked them all (7.8 ms → 0.08 ms after a manual
 * VACUUM on the bench); the cursor's scan starts where the last one ended, so its cost no longer
 * depends on autovacuum (docs/event-feed.md).
 *
 * - `event.txid`: the top-level id of the transaction that recorded the row (`pg_current_xact_id()`
 *   as bigint, filled by the default). Rows from before this migration keep NULL: the sequenced
 *   ones are never looked at again; the unsequenced ones get 0, below every real id, so the first
 *   pass takes them.
 * - `event_sequencer_state`: one row, the cursor (every row with `(txid, id)` above
 *   `(after_txid, after_id)` and every row of a transaction in `in_flight` may still need a
 *   number; nothing else does). Locking it is what serialises sequencers across processes.
 */
export class EventSequencerCursor1764400000000 implements MigrationInterface {
  name = 'EventSequencerCursor1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // Nullable without a default first: no rewrite of a large table.
    await q.query(`ALTER TABLE event ADD COLUMN txid bigint`);
    await q.query(
      `ALTER TABLE event ALTER COLUMN txid SET DEFAULT (pg_current_xact_id()::text::bigint)`,
    );
    // The ALTER waited for every transaction writing to `event`: what is unsequenced now has
    // committed, and later rows carry their own transaction id.
    await q.query(`UPDATE event SET txid = 0 WHERE sequence IS NULL`);
    await q.query(`CREATE INDEX event_txid_id_idx ON event (txid, id)`);
    await q.query(`DROP INDEX event_unsequenced_idx`);
    await q.query(`
      CREATE TABLE event_sequencer_state (
        id boolean NOT NULL DEFAULT true,
        after_txid bigint NOT NULL,
        after_id uuid NOT NULL,
        in_flight bigint[] NOT NULL,
        CONSTRAINT event_sequencer_state_pkey PRIMARY KEY (id),
        CONSTRAINT event_sequencer_state_single_row_check CHECK (id)
      )`);
    // (-1, max uuid): every row with a txid (0 and up) is still to be looked at.
    await q.query(
      `INSERT INTO event_sequencer_state (after_txid, after_id, in_flight)
       VALUES (-1, 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{}')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE event_sequencer_state`);
    await q.query(`CREATE INDEX event_unsequenced_idx ON event (id) WHERE sequence IS NULL`);
    await q.query(`DROP INDEX event_txid_id_idx`);
    await q.query(`ALTER TABLE event DROP COLUMN txid`);
  }
}
