import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Conversation1763712150000 implements MigrationInterface {
  name = 'Conversation1763712150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ticket_note (
        id uuid NOT NULL,
        ticket_id uuid NOT NULL,
        author_id uuid,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ticket_note_pkey PRIMARY KEY (id),
        CONSTRAINT ticket_note_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES ticket (id) ON DELETE CASCADE,
        CONSTRAINT ticket_note_author_id_fkey FOREIGN KEY (author_id) REFERENCES app_user (id)
      )`);
    await q.query(
      `CREATE INDEX ticket_note_ticket_id_created_at_idx ON ticket_note (ticket_id, created_at, id)`,
    );

    await q.query(`
      CREATE TABLE ticket_assignment (
        id uuid NOT NULL,
        ticket_id uuid NOT NULL,
        from_id uuid,
        to_id uuid,
        by_id uuid,
        by_name text,
        reason text,
        at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ticket_assignment_pkey PRIMARY KEY (id),
        CONSTRAINT ticket_assignment_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES ticket (id) ON DELETE CASCADE,
        CONSTRAINT ticket_assignment_from_id_fkey FOREIGN KEY (from_id) REFERENCES app_user (id),
        CONSTRAINT ticket_assignment_to_id_fkey FOREIGN KEY (to_id) REFERENCES app_user (id),
        CONSTRAINT ticket_assignment_by_id_fkey FOREIGN KEY (by_id) REFERENCES app_user (id)
      )`);
    await q.query(
      `CREATE INDEX ticket_assignment_ticket_id_at_idx ON ticket_assignment (ticket_id, at, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ticket_assignment`);
    await q.query(`DROP TABLE ticket_note`);
  }
}
