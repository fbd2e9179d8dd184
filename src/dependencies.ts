import { Client } from 'pg';
import { Redis } from 'ioredis';
import type { AppConfig } from './config/app-config';
import { redactUrl as redact } from './config/redact-url';
import { ensureDatabase } from './database/ensure-database';

/**
 * Checks PostgreSQL and Redis before booting, so a missing service is one clear line
 * (which URL, how to start it) instead of a stack trace. Returns the problems found.
 */
export async function checkDependencies(config: AppConfig): Promise<string[]> {
  const problems: string[] = [];
  try {
    await ensureDatabase(config.databaseMigrationUrl ?? config.databaseUrl);
    const client = new Client({
      connectionString: config.databaseUrl,
      connectionTimeoutMillis: 5000,
    });
    await client.connect();
    await client.end();
  } catch (error) {
    problems.push(
      `PostgreSQL is not reachable at ${redact(config.databaseUrl)} (${(error as Error).message}). ` +
        'Start it with `docker compose up -d db redis` (or ../shared/services.sh on a dev machine).',
    );
  }
  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    problems.push(
      `Redis is not reachable at ${redact(config.redisUrl)} (${(error as Error).message}). ` +
        'Start it with `docker compose up -d db redis`.',
    );
  } finally {
    redis.disconnect();
  }
  return problems;
}
