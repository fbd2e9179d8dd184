import { Client } from 'pg';

export interface SeparateDatabase {
  /** DATABASE_URL for createTestApp; the app creates and migrates it on start. */
  url: string;
  /** Drops it (the run's teardown drops any left behind). */
  drop(): Promise<void>;
}

/**
 * A database of its own for one spec, next to this run's (`<run database>_<label>`), for tests
 * whose effects reach every row of a table: the SLA sweep with a clock moved days ahead, emails
 * to every support_manager. Other specs' rows stay out of its counts, and its rows out of theirs.
 */
export function separateDatabase(label: string): SeparateDatabase {
  if (!/^[a-z0-9_]+$/.test(label)) throw new Error(`bad database label ${label}`);
  const url = new URL(process.env.DATABASE_URL!);
  const name = `${url.pathname.slice(1)}_${label}`;
  if (!/_test_/.test(name)) throw new Error(`refusing to use ${name}: not a *_test_* database`);
  const admin = new URL(url.toString());
  admin.pathname = '/postgres';
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
