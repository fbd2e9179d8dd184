// `npm run migrate`: create the database if needed and apply pending migrations, then exit.
import 'src/runtime/check-node';
import 'reflect-metadata';
import { ConfigError, loadConfig } from 'src/config/app-config';
import { runMigrations } from './run-migrations';

async function migrate(): Promise<void> {
  const applied = await runMigrations(loadConfig());
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
}

migrate().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
