import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SLA policies (one per priority, seeded with the contract's defaults) and business hours. */
export class Sla1763712400000 implements MigrationInterface {
  name = 'Sla1763712400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sla_policy (
        priority text NOT NULL,
        first_response_minutes integer NOT NULL,
        resolution_minutes integer NOT NULL,
        business_hours boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sla_policy_pkey PRIMARY KEY (priority),
        CONSTRAINT sla_policy_priority_check CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        CONSTRAINT sla_policy_first_response_minutes_check CHECK (first_response_minutes BETWEEN 1 AND 525600),
        CONSTRAINT sla_policy_resolution_minutes_check CHECK (resolution_minutes BETWEEN 1 AND 525600),
        CONSTRAINT sla_policy_targets_order_check CHECK (first_response_minutes <= resolution_minutes)
      )`);
    await q.query(`
      INSERT INTO sla_policy (priority, first_response_minutes, resolution_minutes, business_hours)
      VALUES ('urgent', 60, 240, false),
             ('high', 240, 1440, false),
             ('normal', 480, 2880, false),
             ('low', 1440, 5760, false)`);

    await q.query(`
      CREATE TABLE business_hours (
        id smallint NOT NULL DEFAULT 1,
        timezone text NOT NULL,
        weekly jsonb NOT NULL,
        holidays jsonb NOT NULL DEFAULT '[]',
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT business_hours_pkey PRIMARY KEY (id),
        CONSTRAINT business_hours_single_row_check CHECK (id = 1),
        CONSTRAINT business_hours_weekly_check CHECK (jsonb_typeof(weekly) = 'array' AND jsonb_array_length(weekly) > 0),
        CONSTRAINT business_hours_holidays_check CHECK (jsonb_typeof(holidays) = 'array')
      )`);
    const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));
    await q.query(
      `INSERT INTO business_hours (id, timezone, weekly, holidays) VALUES (1, 'UTC', $1, '[]')`,
      [JSON.stringify(weekdays)],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE business_hours`);
    await q.query(`DROP TABLE sla_policy`);
  }
}
