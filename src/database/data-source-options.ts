import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from 'src/config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming.strategy';
import { SqlLogger } from './sql-logger';

/** The one DataSource definition, shared by the app, the migration CLI (ormconfig.ts) and tests. */
export function dataSourceOptions(
  config: Pick<AppConfig, 'databaseUrl' | 'databasePoolSize' | 'databaseLogQueries'>,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // Rows read from the database become entities without running their constructors: the
    // field initialisers (`id = uuidv7()`) are for new rows, and ran once per hydrated entity
    // (three per list row: the ticket, its requester and its assignee).
    entitySkipConstructor: true,
    logging: config.databaseLogQueries ? 'all' : ['error', 'warn', 'migration'],
    // Failed statements are logged without their parameters (docs/reliability.md).
    ...(config.databaseLogQueries ? {} : { logger: new SqlLogger() }),
    extra: {
      max: config.databasePoolSize,
      // How long a request may wait for a pooled connection (or a new one) before answering 503.
      // A stopped PostgreSQL refuses connections at once, so this bounds queueing under load,
      // not the fail-fast path; 5 s turned a burst of 100 clients into 503s on 2 cores.
      connectionTimeoutMillis: 15_000,
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
      application_name: 'helpdesk',
    },
  };
}
