import { createHash } from 'node:crypto';
import { QueryFailedError, type EntityManager } from 'typeorm';

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{
    rows: Record<string, unknown>[];
    rowCount: number | null;
  }>;
}

/** A statement's name is its text's hash: the same SQL is parsed and planned once per connection. */
function nameOf(text: string): string {
  return `h${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
}

/**
 * Runs `text` as a pg named (prepared) statement on the transaction's connection: parsed and
 * planned once per connection, then only bound and executed. For the fixed SQL of hot write
 * paths (a ticket's INSERT and UPDATE, a message's INSERT). Logged and wrapped like TypeORM's own
 * queries (DATABASE_LOG_QUERIES shows it, errors are QueryFailedError). Outside a transaction,
 * or on another driver, it is a plain query.
 */
export async function preparedQuery(
  manager: EntityManager,
  text: string,
  values: unknown[],
): Promise<Record<string, unknown>[]> {
  const runner = manager.queryRunner;
  if (!runner || runner.isReleased || manager.connection.driver.options.type !== 'postgres') {
    const raw = (await manager.query(text, values)) as unknown;
    // TypeORM answers [rows, count] for UPDATE and DELETE, rows otherwise.
    return (Array.isArray(raw) && Array.isArray(raw[0]) ? raw[0] : raw) as Record<
      string,
      unknown
    >[];
  }
  const client = (await runner.connect()) as PgClient;
  const logger = manager.connection.logger;
  logger.logQuery(text, values, runner);
  try {
    const result = await client.query({ name: nameOf(text), text, values });
    return result.rows;
  } catch (error) {
    logger.logQueryError(error as Error, text, values, runner);
    throw new QueryFailedError(text, values, error as Error);
  }
}
