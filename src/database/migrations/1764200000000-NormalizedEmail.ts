import type { MigrationInterface, QueryRunner } from 'typeorm';
import { normalizeEmail } from '@helpdesk/common';

const BATCH = 5000;

/**
 * Emails were compared with PostgreSQL's `lower()` in lookups and JavaScript's `toLowerCase()`
 * in the login lockout, which disagree on characters like `İ`. Now every comparison uses
 * `normalizeEmail` (NFKC + case fold, in JavaScript) and its result is stored and uniquely
 * indexed. Existing rows are normalised here, by the same function.
 *
 * Two existing accounts whose addresses normalise alike (possible only through NFKC or the
 * `lower()` disagreement): the oldest keeps the address; each younger one is stored as
 * `<normalised>#duplicate-<id>`, which no lookup can match (an email has no `#` after its
 * domain), so it stays readable by id and an admin can merge or rename it (docs/sessions.md).
 */
export class NormalizedEmail1764200000000 implements MigrationInterface {
  name = 'NormalizedEmail1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN email_normalized text`);
    const rows = (await q.query(`SELECT id, email FROM app_user ORDER BY created_at, id`)) as {
      id: string;
      email: string;
    }[];
    const taken = new Set<string>();
    const ids: string[] = [];
    const values: string[] = [];
    for (const { id, email } of rows) {
      const normalized = normalizeEmail(email);
      ids.push(id);
      values.push(taken.has(normalized) ? `${normalized}#duplicate-${id}` : normalized);
      taken.add(normalized);
    }
    for (let start = 0; start < ids.length; start += BATCH) {
      await q.query(
        `UPDATE app_user u SET email_normalized = v.normalized
         FROM unnest($1::uuid[], $2::text[]) AS v(id, normalized) WHERE u.id = v.id`,
        [ids.slice(start, start + BATCH), values.slice(start, start + BATCH)],
      );
    }
    await q.query(`ALTER TABLE app_user ALTER COLUMN email_normalized SET NOT NULL`);
    await q.query(
      `CREATE UNIQUE INDEX app_user_email_normalized_key ON app_user (email_normalized)`,
    );
    await q.query(`DROP INDEX app_user_email_key`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Fails if two accounts now differ only in what lower() folds alike; rename one first.
    await q.query(`CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email))`);
    await q.query(`DROP INDEX app_user_email_normalized_key`);
    await q.query(`ALTER TABLE app_user DROP COLUMN email_normalized`);
  }
}
