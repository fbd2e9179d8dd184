import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A ticket's access token now expires TICKET_TOKEN_TTL_DAYS after it was issued (or rotated),
 * so the issue time is stored. Existing tokens count from their ticket's creation: a link older
 * than the TTL stops working and its customer signs in with a magic link instead.
 */
export class TicketTokenLifetime1764200100000 implements MigrationInterface {
  name = 'TicketTokenLifetime1764200100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket ADD COLUMN access_token_issued_at timestamptz`);
    await q.query(
      `UPDATE ticket SET access_token_issued_at = created_at WHERE access_token_hash IS NOT NULL`,
    );
    // New tickets get their token's issue time from the database, like created_at.
    await q.query(`ALTER TABLE ticket ALTER COLUMN access_token_issued_at SET DEFAULT now()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket DROP COLUMN access_token_issued_at`);
  }
}
