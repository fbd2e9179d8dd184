import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log (API.md section 8): append-only, one HMAC chain per resource. No foreign keys,
 * on purpose: entries must outlive what they describe, and a cascade would be refused anyway.
 */
export class AuditLog1763712200000 implements MigrationInterface {
  name = 'AuditLog1763712200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id uuid NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor_type text NOT NULL,
        actor_id uuid,
        actor_role text,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id text,
        request_id text,
        ip text,
        user_agent text,
        changes jsonb NOT NULL DEFAULT '{}'::jsonb,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        chain_key text NOT NULL,
        chain_seq bigint NOT NULL,
        prev_hash text,
        hash text NOT NULL,
        key_id text NOT NULL,
        CONSTRAINT audit_log_pkey PRIMARY KEY (id),
        CONSTRAINT audit_log_actor_type_check CHECK (actor_type IN ('user', 'api_key', 'system')),
        CONSTRAINT audit_log_chain_seq_check CHECK (chain_seq >= 1),
        CONSTRAINT audit_log_chain_link_check CHECK ((chain_seq = 1) = (prev_hash IS NULL))
      )`);
    // One position per chain: even a writer that skipped the chain lock could not fork a chain.
    // Also serves the chain-head lookup on every write and the verify walk.
    await q.query(
      `CREATE UNIQUE INDEX audit_log_chain_key_chain_seq_key ON audit_log (chain_key, chain_seq)`,
    );
    // The list is newest first; each filter gets an index ending in that order.
    await q.query(
      `CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, occurred_at DESC, id DESC)
       WHERE actor_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX audit_log_action_idx ON audit_log (action, occurred_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX audit_log_resource_idx
       ON audit_log (resource_type, resource_id, occurred_at DESC, id DESC)`,
    );

    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Audit entries are never changed or removed.';
      END;
      $$`);
    // Statement-level, so even an UPDATE or DELETE that matches no row is refused.
    await q.query(`
      CREATE TRIGGER audit_log_append_only
      BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
