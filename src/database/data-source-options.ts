import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from 'src/config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming.strategy';

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
    logging: config.databaseLogQueries ? 'all' : ['error', 'warn', 'migration'],
    extra: {
      max: config.databasePoolSize,
      // Fail fast when PostgreSQL is away: a request answers 503 instead of hanging.
      connectionTimeoutMillis: 5000,
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
      application_name: 'helpdesk',
    },
  };
}
