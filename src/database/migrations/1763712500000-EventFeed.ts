import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ordered event feed (API.md section 11a) and webhook deliveries. Event rows commit with
 * `sequence` NULL in the transaction of the change; the sequencer numbers committed rows later
 * (see src/events/event-sequencer.ts), so readers only ever see a prefix that never grows below.
 */
export class EventFeed1763712500000 implements MigrationInterface {
  name = 'EventFeed1763712500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE event_actor_type AS ENUM ('user', 'api_key', 'system')`);
    await q.query(`CREATE SEQUENCE event_sequence_seq AS bigint START 1`);
    // No foreign key to ticket: the feed is history and outlives (or predates) what it describes.
    await q.query(`
      CREATE TABLE event (
        id uuid NOT NULL,
        type text NOT NULL,
        occurred_at timestamptz NOT NULL,
        sequence bigint,
        sequenced_at timestamptz,
        actor_type event_actor_type NOT NULL,
        actor_id uuid,
        ticket_id uuid,
        data jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT event_pkey PRIMARY KEY (id),
        CONSTRAINT event_sequence_key UNIQUE (sequence)
      )`);
    await q.query(`ALTER SEQUENCE event_sequence_seq OWNED BY event.sequence`);
    // What the sequencer looks for: committed rows still waiting for their number.
    await q.query(`CREATE INDEX event_unsequenced_idx ON event (id) WHERE sequence IS NULL`);
    await q.query(
      `CREATE INDEX event_ticket_id_sequence_idx ON event (ticket_id, sequence) WHERE ticket_id IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE webhook (
        id uuid NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL,
        description text,
        secret_ciphertext text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        delivery_lease_id uuid,
        delivery_lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_pkey PRIMARY KEY (id),
        CONSTRAINT webhook_events_not_empty_check CHECK (cardinality(events) > 0)
      )`);

    await q.query(`CREATE TYPE webhook_delivery_status AS ENUM ('pending', 'delivered', 'failed')`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        id uuid NOT NULL,
        webhook_id uuid NOT NULL,
        event_id uuid NOT NULL,
        sequence bigint NOT NULL,
        status webhook_delivery_status NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        response_status integer,
        last_error text,
        next_attempt_at timestamptz,
        retry_until timestamptz,
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_delivery_pkey PRIMARY KEY (id),
        CONSTRAINT webhook_delivery_webhook_id_event_id_key UNIQUE (webhook_id, event_id),
        CONSTRAINT webhook_delivery_webhook_id_fkey FOREIGN KEY (webhook_id) REFERENCES webhook (id) ON DELETE CASCADE,
        CONSTRAINT webhook_delivery_event_id_fkey FOREIGN KEY (event_id) REFERENCES event (id)
      )`);
    // A webhook's queue head: its pending delivery with the lowest sequence.
    await q.query(
      `CREATE INDEX webhook_delivery_pending_idx ON webhook_delivery (webhook_id, sequence) WHERE status = 'pending'`,
    );
    // The delivery log, newest first.
    await q.query(
      `CREATE INDEX webhook_delivery_webhook_id_sequence_idx ON webhook_delivery (webhook_id, sequence DESC)`,
    );
    await q.query(`CREATE INDEX webhook_delivery_event_id_idx ON webhook_delivery (event_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_delivery`);
    await q.query(`DROP TYPE webhook_delivery_status`);
    await q.query(`DROP TABLE webhook`);
    await q.query(`DROP TABLE event`);
    await q.query(`DROP TYPE event_actor_type`);
  }
}
