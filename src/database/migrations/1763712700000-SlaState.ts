import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SLA tracking on tickets (docs/sla.md): the stored state that the `sla=` filter and `sla.state`
 * read, when the sweep must look at a ticket next, the marks that keep events exactly-once, and
 * the resolution clock's paused time in both units.
 */
export class SlaState1763712700000 implements MigrationInterface {
  name = 'SlaState1763712700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE ticket_sla_state AS ENUM ('ok', 'at_risk', 'breached')`);
    // sla_paused_minutes was never written (always 0) and counted only one way; a priority change
    // can switch between calendar and business time, so the total is kept in both. Dropping and
    // adding is a catalog change only; converting the type would rewrite the table.
    await q.query(`
      ALTER TABLE ticket
        DROP COLUMN sla_paused_minutes,
        ADD COLUMN sla_paused_calendar_minutes double precision NOT NULL DEFAULT 0,
        ADD COLUMN sla_paused_business_minutes double precision NOT NULL DEFAULT 0,
        ADD COLUMN first_response_met_at timestamptz,
        ADD COLUMN first_response_at_risk_notified_at timestamptz,
        ADD COLUMN resolution_at_risk_notified_at timestamptz,
        ADD COLUMN sla_state ticket_sla_state NOT NULL DEFAULT 'ok',
        ADD COLUMN sla_next_check_at timestamptz,
        ADD CONSTRAINT ticket_sla_paused_minutes_check
          CHECK (sla_paused_calendar_minutes >= 0 AND sla_paused_business_minutes >= 0)`);
    // Rows from before tracking: breach marks decide their state, and any with due times get
    // looked at by the first sweep (which settles their state and schedules the next look).
    await q.query(`
      UPDATE ticket SET sla_state = 'breached'
      WHERE first_response_breached_at IS NOT NULL OR resolution_breached_at IS NOT NULL`);
    await q.query(`
      UPDATE ticket SET sla_next_check_at = now()
      WHERE deleted_at IS NULL AND (first_response_due_at IS NOT NULL OR resolution_due_at IS NOT NULL)`);

    // The sweep reads exactly the tickets whose next SLA moment has come: a ticket is in this
    // index only while one of its targets is still running, so it stays as small as the open
    // work. It replaces the two due-time indexes, which kept every breached or paused ticket
    // forever and made each sweep step over them.
    await q.query(`DROP INDEX ticket_first_response_due_at_idx`);
    await q.query(`DROP INDEX ticket_resolution_due_at_idx`);
    await q.query(
      `CREATE INDEX ticket_sla_next_check_at_idx ON ticket (sla_next_check_at, id) WHERE deleted_at IS NULL AND sla_next_check_at IS NOT NULL`,
    );
    // Auto-close candidates: resolved tickets only, oldest resolution first.
    await q.query(
      `CREATE INDEX ticket_resolved_auto_close_idx ON ticket (resolved_at, id) WHERE deleted_at IS NULL AND status = 'resolved'`,
    );
    // sla= list filter, alone and with an assignee (the common "my at-risk tickets" view), in
    // the (…, created_at, id) shape of the other list indexes so pages are index range scans.
    await q.query(
      `CREATE INDEX ticket_sla_state_created_at_idx ON ticket (sla_state, created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_assignee_sla_state_created_at_idx ON ticket (assignee_id, sla_state, created_at, id) WHERE deleted_at IS NULL`,
    );
    // The state follows status (closed tickets are ok or breached) and agents differ in how
    // many of theirs are at risk: pairwise statistics keep the estimates honest.
    await q.query(
      `CREATE STATISTICS ticket_status_sla_state_stats (mcv) ON status, sla_state FROM ticket`,
    );
    await q.query(
      `CREATE STATISTICS ticket_assignee_sla_state_stats (mcv) ON assignee_id, sla_state FROM ticket`,
    );
    await q.query(`ALTER STATISTICS ticket_assignee_sla_state_stats SET STATISTICS 1000`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS ticket_assignee_sla_state_stats`);
    await q.query(`DROP STATISTICS ticket_status_sla_state_stats`);
    await q.query(`DROP INDEX ticket_assignee_sla_state_created_at_idx`);
    await q.query(`DROP INDEX ticket_sla_state_created_at_idx`);
    await q.query(`DROP INDEX ticket_resolved_auto_close_idx`);
    await q.query(`DROP INDEX ticket_sla_next_check_at_idx`);
    await q.query(
      `CREATE INDEX ticket_first_response_due_at_idx ON ticket (first_response_due_at) WHERE deleted_at IS NULL AND first_responded_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX ticket_resolution_due_at_idx ON ticket (resolution_due_at) WHERE deleted_at IS NULL AND resolved_at IS NULL`,
    );
    await q.query(`
      ALTER TABLE ticket
        DROP CONSTRAINT ticket_sla_paused_minutes_check,
        DROP COLUMN sla_next_check_at,
        DROP COLUMN sla_state,
        DROP COLUMN resolution_at_risk_notified_at,
        DROP COLUMN first_response_at_risk_notified_at,
        DROP COLUMN first_response_met_at,
        DROP COLUMN sla_paused_business_minutes,
        DROP COLUMN sla_paused_calendar_minutes,
        ADD COLUMN sla_paused_minutes integer NOT NULL DEFAULT 0`);
    await q.query(`DROP TYPE ticket_sla_state`);
  }
}
