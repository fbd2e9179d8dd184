import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1763712000000 implements MigrationInterface {
  name = 'Foundation1763712000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id uuid NOT NULL,
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        password_hash text,
        phone_number text,
        organization text,
        external_id text,
        is_active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT app_user_pkey PRIMARY KEY (id),
        CONSTRAINT app_user_role_check CHECK (role IN ('customer', 'support', 'support_manager', 'admin'))
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email))`);
    await q.query(`CREATE INDEX app_user_role_idx ON app_user (role, is_active)`);
    await q.query(
      `CREATE INDEX app_user_external_id_idx ON app_user (external_id) WHERE external_id IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE auth_session (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        family_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT auth_session_pkey PRIMARY KEY (id),
        CONSTRAINT auth_session_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_user (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX auth_session_family_id_idx ON auth_session (family_id)`);
    await q.query(`CREATE INDEX auth_session_user_id_idx ON auth_session (user_id)`);

    await q.query(`
      CREATE TABLE magic_link_token (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT magic_link_token_pkey PRIMARY KEY (id),
        CONSTRAINT magic_link_token_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_user (id) ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE UNIQUE INDEX magic_link_token_token_hash_key ON magic_link_token (token_hash)`,
    );

    await q.query(`
      CREATE TABLE api_key (
        id uuid NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        key_hash text NOT NULL,
        key_prefix text NOT NULL,
        created_by_id uuid,
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT api_key_pkey PRIMARY KEY (id),
        CONSTRAINT api_key_role_check CHECK (role IN ('customer', 'support', 'support_manager', 'admin')),
        CONSTRAINT api_key_created_by_id_fkey FOREIGN KEY (created_by_id) REFERENCES app_user (id) ON DELETE SET NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX api_key_key_hash_key ON api_key (key_hash)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_key`);
    await q.query(`DROP TABLE magic_link_token`);
    await q.query(`DROP TABLE auth_session`);
    await q.query(`DROP TABLE app_user`);
  }
}
