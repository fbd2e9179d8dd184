import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency records now keep a digest of the key and a sealed response (the replay of an
 * intake carried the ticket's access token in plaintext). Rows written before hold the key and
 * the response in plaintext, and would never match a digest: they are removed. A retry of such
 * a request within its 24 h window then runs again instead of replaying.
 */
export class IdempotencySealed1764205000000 implements MigrationInterface {
  name = 'IdempotencySealed1764205000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM idempotency_key`);
    await q.query(
      `COMMENT ON COLUMN idempotency_key.key IS 'SHA-256 of the Idempotency-Key, never the key'`,
    );
    await q.query(
      `COMMENT ON COLUMN idempotency_key.response_body IS 'the response sealed with AES-256-GCM (IdempotencySealer)'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Sealed rows cannot be turned back into plaintext ones; they are dropped like expired ones.
    await q.query(`DELETE FROM idempotency_key`);
    await q.query(`COMMENT ON COLUMN idempotency_key.key IS NULL`);
    await q.query(`COMMENT ON COLUMN idempotency_key.response_body IS NULL`);
  }
}
