// Builds the app, prepares the bench database and runs the production build as child processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import type { BenchOptions } from './options';
import { log, sleep } from './util';

// Fixed, bench-only secrets: tokens signed by the bench must verify in the app it starts.
export const BENCH_JWT_SECRET = 'bench-jwt-secret-not-for-production-0123456789';
const BENCH_AUDIT_HMAC_KEY = 'bench-audit-hmac-key-not-for-production-0123456789';
const BENCH_WEBHOOK_SECRET_KEY = 'bench-webhook-secret-key-not-for-production-0123456789';

function runOrThrow(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status})`);
}

/**
 * The build this run starts: a private copy of `dist`, so a concurrent `nest build` (tests, another
 * bench) cannot pull files from under a long run.
 */
export function appBuildDir(options: BenchOptions): string {
  return resolve('dist-bench', `app-${options.databaseName}`);
}

export function buildApp(options: BenchOptions): void {
  if (!options.skipBuild) {
    log('nest build');
    const nest = createRequire(__filename).resolve('@nestjs/cli/bin/nest.js');
    runOrThrow(process.execPath, [nest, 'build']);
  }
  const target = appBuildDir(options);
  rmSync(target, { recursive: true, force: true });
  cpSync('dist', target, { recursive: true });
}

/** Applies the app's migrations to the bench database. */
export function migrateDatabase(options: BenchOptions): void {
  const migrate = join(appBuildDir(options), 'src/database/migrate.js');
  runOrThrow(process.execPath, [migrate], appEnv(options, 'all', {}));
}

/** Drops and recreates the bench database, then applies the app's migrations to it. */
export async function recreateDatabase(options: BenchOptions): Promise<void> {
  const admin = new Client({ connectionString: options.maintenanceUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${options.databaseName}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${options.databaseName}"`);
  } finally {
    await admin.end();
  }
  migrateDatabase(options);
}

/** Removes the queues and keys a previous run left under this bench's prefix (its database name). */
export async function clearRedisPrefix(options: BenchOptions): Promise<void> {
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  try {
    let cursor = '0';
    for (let round = 0; round < 100_000; round++) {
      const pattern = `${options.databaseName}:*`;
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'helpdesk-bench-'));

export function appEnv(
  options: BenchOptions,
  role: 'api' | 'worker' | 'all',
  extra: Record<string, string>,
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    APP_ROLE: role,
    PORT: String(options.port),
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    // One prefix per bench database, so a test's bench run and a real one never share queues.
    REDIS_PREFIX: options.databaseName,
    PUBLIC_RATE_LIMIT_PER_MINUTE: '0',
    LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR: '0',
    MAGIC_LINK_RATE_LIMIT_PER_ADDRESS_PER_HOUR: '0',
    INTAKE_RATE_LIMIT_PER_CUSTOMER_PER_HOUR: '0',
    JWT_SECRET: BENCH_JWT_SECRET,
    AUDIT_HMAC_KEY: BENCH_AUDIT_HMAC_KEY,
    WEBHOOK_SECRET_KEY: BENCH_WEBHOOK_SECRET_KEY,
    LOG_LEVEL: 'warn',
    MAIL_DIR: join(scratch, 'mail'),
    STORAGE_DIR: join(scratch, 'attachments'),
    PUBLIC_URL: 'http://127.0.0.1',
    ...extra,
  };
}

export interface AppProcess {
  role: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout so far (only kept when asked for). */
  output: () => string;
}

export function startApp(
  options: BenchOptions,
  role: 'api' | 'worker',
  extra: Record<string, string> = {},
  keepOutput = false,
): AppProcess {
  const child = spawn(process.execPath, [join(appBuildDir(options), 'src/main.js')], {
    env: appEnv(options, role, extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    if (keepOutput) chunks.push(chunk);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => process.stderr.write(`[${role}] ${chunk}`));
  return { role, child, output: () => chunks.join('') };
}

export async function waitUntilReady(port: number, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`the api did not become ready on :${port} within ${timeoutMs / 1000} s`);
}

export async function stopApp(app: AppProcess): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => app.child.once('exit', () => resolve()));
  app.child.kill('SIGTERM');
  const timeout = sleep(10_000).then(() => {
    if (app.child.exitCode === null) app.child.kill('SIGKILL');
  });
  await Promise.race([exited, timeout]);
}

/** Resident set size of a process in MB, from /proc (Linux); null elsewhere. */
export function residentMegabytes(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
