import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const url = new URL(process.env.DATABASE_URL!);
  const database = url.pathname.slice(1);
  // Guard: only ever drop what this harness created.
  if (/^helpdesk_test_[a-z0-9_]+$/.test(database) && !process.env.KEEP_TEST_DATABASE) {
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    // Databases of single specs (separateDatabase in @helpdesk/testing) that were left behind.
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`,
      [`${database}_`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.end();
  }
  const prefix = process.env.REDIS_PREFIX;
  if (prefix?.startsWith('helpdesk_test_')) {
    const redis = new Redis(process.env.REDIS_URL!);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
  if (process.env.HELPDESK_TEST_SCRATCH)
    rmSync(process.env.HELPDESK_TEST_SCRATCH, { recursive: true, force: true });
}
