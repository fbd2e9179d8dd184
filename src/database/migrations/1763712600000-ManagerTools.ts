import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ManagerTools1763712600000 implements MigrationInterface {
  name = 'ManagerTools1763712600000';

  async up(q: QueryRunner): Promise<void> {
    // One CSAT rating per ticket: rating again replaces it (API.md section 5).
    await q.query(`
      CREATE TABLE ticket_rating (
        id uuid NOT NULL,
        ticket_id uuid NOT NULL,
        score smallint NOT NULL,
        comment text,
        rated_by_id uuid,
        source text NOT NULL,
        rated_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ticket_rating_pkey PRIMARY KEY (id),
        CONSTRAINT ticket_rating_ticket_id_key UNIQUE (ticket_id),
        CONSTRAINT ticket_rating_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES ticket (id) ON DELETE CASCADE,
        CONSTRAINT ticket_rating_rated_by_id_fkey FOREIGN KEY (rated_by_id) REFERENCES app_user (id),
        CONSTRAINT ticket_rating_score_check CHECK (score BETWEEN 1 AND 5),
        CONSTRAINT ticket_rating_comment_length_check CHECK (char_length(comment) <= 2000),
        CONSTRAINT ticket_rating_source_check CHECK (source IN ('portal', 'link'))
      )`);
    // Analytics: csat_* are over ratings given in a window.
    await q.query(
      `CREATE INDEX ticket_rating_rated_at_idx ON ticket_rating (rated_at) INCLUDE (score, ticket_id)`,
    );
    // Analytics windows over the lifecycle instants (docs/analytics.md). Partial like the list
    // indexes, and covering the columns the aggregates read, so most are index-only scans.
    await q.query(
      `CREATE INDEX ticket_resolved_at_idx ON ticket (resolved_at) INCLUDE (created_at, assignee_id)
       WHERE deleted_at IS NULL AND resolved_at IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_closed_at_idx ON ticket (closed_at)
       WHERE deleted_at IS NULL AND closed_at IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_first_responded_at_idx ON ticket (first_responded_at) INCLUDE (created_at)
       WHERE deleted_at IS NULL AND first_responded_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ticket_first_responded_at_idx`);
    await q.query(`DROP INDEX ticket_closed_at_idx`);
    await q.query(`DROP INDEX ticket_resolved_at_idx`);
    await q.query(`DROP TABLE ticket_rating`);
  }
}
