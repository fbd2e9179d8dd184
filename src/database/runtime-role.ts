import { Client } from 'pg';

/** The role a PostgreSQL URL connects as (its user name), or undefined when it names none. */
export function roleOf(databaseUrl: string): string | undefined {
  const user = decodeURIComponent(new URL(databaseUrl).username);
  return user || undefined;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * After migrations ran as the migration role (DATABASE_MIGRATION_URL), gives the runtime role
 * (DATABASE_URL's user) row privileges only: it owns nothing, so it cannot ALTER a table —
 * in particular not `ALTER TABLE audit_log DISABLE TRIGGER` — and it may only read and append
 * to the audit log. Idempotent: run after every migration, so new tables are covered.
 */
export async function grantRuntimeAccess(migrationUrl: string, runtimeUrl: string): Promise<void> {
  const runtime = roleOf(runtimeUrl);
  if (!runtime || runtime === roleOf(migrationUrl)) return;
  const role = quoteIdent(runtime);
  const client = new Client({ connectionString: migrationUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await client.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
    );
    await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    // The audit log is append-only for the app: the trigger refuses changes, and without these
    // privileges (and without owning the table) the app cannot even try, nor switch it off.
    await client.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${role}`);
    await client.query(`REVOKE DELETE, TRUNCATE ON audit_chain_anchor FROM ${role}`);
    await client.query(`REVOKE ALL ON schema_migration FROM ${role}`);
    await client.query(`GRANT SELECT ON schema_migration TO ${role}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
