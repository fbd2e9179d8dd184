import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The notification outbox (API.md section 9). */
export class Notifications1763712300000 implements MigrationInterface {
  name = 'Notifications1763712300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification (
        id uuid NOT NULL,
        event text NOT NULL,
        recipient text NOT NULL,
        subject text NOT NULL,
        text_body text NOT NULL,
        html_body text NOT NULL,
        ticket_id uuid,
        message_id_header text NOT NULL,
        in_reply_to text,
        references_header text[] NOT NULL DEFAULT '{}',
        reply_to text,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        queued_at timestamptz,
        next_attempt_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT notification_pkey PRIMARY KEY (id),
        CONSTRAINT notification_status_check CHECK (status IN ('pending', 'sent', 'failed')),
        CONSTRAINT notification_attempts_check CHECK (attempts >= 0),
        CONSTRAINT notification_sent_at_check CHECK ((status = 'sent') = (sent_at IS NOT NULL))
      )`);
    // The admin list: newest first, with or without a status filter.
    await q.query(
      `CREATE INDEX notification_status_created_at_idx ON notification (status, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX notification_created_at_idx ON notification (created_at DESC, id DESC)`,
    );
    // The relay and its sweep read only pending rows: keep that index as small as the backlog.
    await q.query(
      `CREATE INDEX notification_pending_idx ON notification (created_at) WHERE status = 'pending'`,
    );
    await q.query(
      `CREATE INDEX notification_ticket_id_idx ON notification (ticket_id) WHERE ticket_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification`);
  }
}
