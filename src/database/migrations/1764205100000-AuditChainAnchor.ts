import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anchors for the audit log's chains: the highest position each chain has reached. Removing the
 * last entries of a chain left a shorter chain that still verified (nothing later points at
 * them); with the anchor, verify reports `truncated_tail`. The anchor follows every insert into
 * audit_log (a statement trigger, so writers stay as they are) and never moves back or goes
 * away (its own triggers), whoever connects without switching triggers off.
 */
export class AuditChainAnchor1764205100000 implements MigrationInterface {
  name = 'AuditChainAnchor1764205100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_chain_anchor (
        chain_key text NOT NULL,
        chain_seq bigint NOT NULL,
        hash text NOT NULL,
        anchored_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT audit_chain_anchor_pkey PRIMARY KEY (chain_key)
      )`);
    await q.query(`
      INSERT INTO audit_chain_anchor (chain_key, chain_seq, hash)
      SELECT DISTINCT ON (chain_key) chain_key, chain_seq, hash
      FROM audit_log ORDER BY chain_key, chain_seq DESC`);

    await q.query(`
      CREATE FUNCTION audit_chain_anchor_follow() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO audit_chain_anchor (chain_key, chain_seq, hash)
        SELECT DISTINCT ON (chain_key) chain_key, chain_seq, hash
        FROM inserted ORDER BY chain_key, chain_seq DESC
        ON CONFLICT (chain_key) DO UPDATE
          SET chain_seq = EXCLUDED.chain_seq, hash = EXCLUDED.hash, anchored_at = now()
          WHERE audit_chain_anchor.chain_seq < EXCLUDED.chain_seq;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_chain_anchor_follow AFTER INSERT ON audit_log
      REFERENCING NEW TABLE AS inserted
      FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_anchor_follow()`);

    await q.query(`
      CREATE FUNCTION audit_chain_anchor_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_chain_anchor only moves forward: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_chain_anchor_no_delete BEFORE DELETE OR TRUNCATE ON audit_chain_anchor
      FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_anchor_guard()`);
    await q.query(`
      CREATE TRIGGER audit_chain_anchor_no_rewind BEFORE UPDATE ON audit_chain_anchor
      FOR EACH ROW WHEN (NEW.chain_seq < OLD.chain_seq OR NEW.chain_key <> OLD.chain_key)
      EXECUTE FUNCTION audit_chain_anchor_guard()`);
    // ALWAYS: these fire even under session_replication_role = replica, the usual way to write
    // behind the append-only trigger's back; only the table owner can ALTER them away.
    await q.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_chain_anchor_follow`);
    await q.query(
      `ALTER TABLE audit_chain_anchor ENABLE ALWAYS TRIGGER audit_chain_anchor_no_delete`,
    );
    await q.query(
      `ALTER TABLE audit_chain_anchor ENABLE ALWAYS TRIGGER audit_chain_anchor_no_rewind`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_chain_anchor_follow ON audit_log`);
    await q.query(`DROP FUNCTION audit_chain_anchor_follow()`);
    await q.query(`DROP TABLE audit_chain_anchor`);
    await q.query(`DROP FUNCTION audit_chain_anchor_guard()`);
  }
}
