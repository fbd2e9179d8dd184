import { DataSource } from 'typeorm';
import type { AppConfig } from 'src/config/app-config';
import { dataSourceOptions } from './data-source-options';
import { ensureDatabase } from './ensure-database';
import { grantRuntimeAccess } from './runtime-role';

/**
 * Creates the database if needed and applies pending migrations as the migration role
 * (DATABASE_MIGRATION_URL, else DATABASE_URL's role), then grants the runtime role its row
 * privileges. Returns the names of the migrations applied.
 */
export async function runMigrations(
  config: Pick<
    AppConfig,
    'databaseUrl' | 'databaseMigrationUrl' | 'databasePoolSize' | 'databaseLogQueries'
  >,
): Promise<string[]> {
  const migrationUrl = config.databaseMigrationUrl ?? config.databaseUrl;
  await ensureDatabase(migrationUrl);
  const dataSource = new DataSource({
    ...dataSourceOptions({ ...config, databaseUrl: migrationUrl, databasePoolSize: 1 }),
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (config.databaseMigrationUrl) await grantRuntimeAccess(migrationUrl, config.databaseUrl);
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
