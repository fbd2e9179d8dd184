import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { eventually, freePort, sleep } from '@helpdesk/testing';

// Real processes for fault injection: a throwaway PostgreSQL cluster, and the built app (dist/)
// as child processes. Everything started here is registered and killed by `stopAll()` (call it
// in afterAll) and, as a last resort, when the Jest process exits.

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();

function killEverything(): void {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
process.once('exit', killEverything);

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Sends `signal` and waits (bounded) for the process to exit; SIGKILL after `graceMs`. */
export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 10_000,
): Promise<void> {
  if (exited(child)) return;
  const gone = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `helpdesk-resilience-${label}-`));
  tempDirs.add(dir);
  return dir;
}

export interface ThrowawayPostgres {
  port: number;
  /** A connection URL for `database` on this cluster. */
  url(database: string): string;
  start(): Promise<void>;
  /** `fast`: SIGINT (PostgreSQL's fast shutdown: connections are cut). `kill`: SIGKILL. */
  stop(mode?: 'fast' | 'kill'): Promise<void>;
  /** A short-lived client on `database`. */
  query<T = Record<string, unknown>>(database: string, sql: string): Promise<T[]>;
  destroy(): Promise<void>;
}

const PG_BIN = (() => {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))[0]
    : undefined;
  return process.env.PG_BIN ?? (version ? join(root, version, 'bin') : '');
})();

/** uid/gid to run PostgreSQL as: itself refuses root, so as root we use the `postgres` user. */
function postgresIdentity(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** A PostgreSQL cluster made with initdb in a temp dir, on a random port (never the shared one). */
export async function throwawayPostgres(): Promise<ThrowawayPostgres> {
  if (!PG_BIN) throw new Error('no PostgreSQL binaries (set PG_BIN to the bin directory)');
  const dir = tempDir('pg');
  const identity = postgresIdentity();
  if (identity.uid !== undefined) chownSync(dir, identity.uid, identity.gid!);
  const data = join(dir, 'data');
  const init = spawnSync(
    join(PG_BIN, 'initdb'),
    ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    { ...identity, encoding: 'utf8', timeout: 60_000 },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  let child: ChildProcess | null = null;
  const log: string[] = [];

  const cluster: ThrowawayPostgres = {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      if (child && !exited(child)) return;
      const started = track(
        spawn(
          join(PG_BIN, 'postgres'),
          [
            '-D',
            data,
            '-p',
            String(port),
            '-k',
            dir,
            '-c',
            'listen_addresses=127.0.0.1',
            '-c',
            'fsync=off',
            '-c',
            'synchronous_commit=off',
            '-c',
            'full_page_writes=off',
            '-c',
            'max_connections=200',
          ],
          { ...identity, stdio: ['ignore', 'pipe', 'pipe'] },
        ),
      );
      started.stdout?.on('data', (b: Buffer) => log.push(b.toString()));
      started.stderr?.on('data', (b: Buffer) => log.push(b.toString()));
      child = started;
      await eventually(
        async () => {
          if (exited(started)) throw new Error(`postgres exited: ${log.join('').slice(-2000)}`);
          const client = new Client({
            connectionString: cluster.url('postgres'),
            connectionTimeoutMillis: 1000,
          });
          client.on('error', () => undefined);
          try {
            await client.connect();
            await client.query('SELECT 1');
            return true;
          } catch {
            return false;
          } finally {
            await client.end().catch(() => undefined);
          }
        },
        { timeoutMs: 30_000, what: `postgres on port ${port}` },
      );
    },
    async stop(mode = 'fast') {
      const current = child;
      child = null;
      if (current) await stopProcess(current, mode === 'fast' ? 'SIGINT' : 'SIGKILL', 15_000);
    },
    async query<T>(database: string, sql: string): Promise<T[]> {
      const client = new Client({
        connectionString: cluster.url(database),
        connectionTimeoutMillis: 5000,
      });
      client.on('error', () => undefined);
      await client.connect();
      try {
        return (await client.query(sql)).rows as T[];
      } finally {
        await client.end();
      }
    },
    async destroy() {
      await cluster.stop('kill');
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    },
  };
  await cluster.start();
  return cluster;
}

export interface AppProcess {
  role: 'api' | 'worker' | 'all';
  port: number;
  /** `http://127.0.0.1:<port>` (api/all only). */
  url: string;
  /** Everything the process wrote to stdout and stderr. */
  output(): string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const ROOT = resolve(__dirname, '..', '..', '..');
export const MAIN = join(ROOT, 'dist', 'src', 'main.js');

/** Shared settings for the child processes: fixed secrets, fast retries, no rate limit. */
export function baseEnv(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    JWT_SECRET: 'resilience-jwt-secret-that-is-long-enough-0123456789',
    AUDIT_HMAC_KEY: 'resilience-audit-hmac-key-that-is-long-enough-01234',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '0',
    // Tests sign in, request links and open tickets for one address many times; the
    // suites that test these limits turn them on (test/sessions-*.e2e-spec.ts).
    LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR: '0',
    MAGIC_LINK_RATE_LIMIT_PER_ADDRESS_PER_HOUR: '0',
    INTAKE_RATE_LIMIT_PER_CUSTOMER_PER_HOUR: '0',
    PUBLIC_URL: 'http://helpdesk.test',
    LOG_LEVEL: 'warn',
    MAIL_RETRY_BASE_MS: '200',
    MAIL_SWEEP_INTERVAL_MS: '500',
    SLA_SWEEP_INTERVAL_MS: '60000',
    DATABASE_POOL_SIZE: '20',
  };
}

/**
 * Starts `node dist/src/main.js` with APP_ROLE and `env`, and waits until it is up: the HTTP
 * roles answer /health/live; a worker logs that it started. Output is captured for assertions.
 */
export async function startApp(
  role: AppProcess['role'],
  env: Record<string, string>,
  options: { timeoutMs?: number } = {},
): Promise<AppProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`nest build\` first`);
  const port = await freePort();
  const inherited = { ...process.env };
  delete inherited.NODE_OPTIONS; // Jest's --experimental-vm-modules is not for the app
  const child = track(
    spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: { ...inherited, ...baseEnv(), ...env, APP_ROLE: role, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const chunks: string[] = [];
  child.stdout?.on('data', (b: Buffer) => chunks.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => chunks.push(b.toString()));
  const app: AppProcess = {
    role,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => chunks.join(''),
    process: child,
    stop: (signal = 'SIGTERM') => stopProcess(child, signal),
  };
  await eventually(
    async () => {
      if (exited(child)) throw new Error(`${role} exited early:\n${app.output().slice(-3000)}`);
      if (role === 'worker') return /Helpdesk worker started/.test(app.output());
      try {
        const res = await fetch(`${app.url}/health/live`, { signal: AbortSignal.timeout(1000) });
        return res.ok;
      } catch {
        return false;
      }
    },
    { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 200, what: `${role} process` },
  );
  return app;
}

/** Kills every child process and removes every temp dir started through this module. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stopProcess(child, 'SIGKILL', 5000)));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Spawns a helper process that `stopAll()` (and the exit hook) will kill. */
export function spawnTracked(command: string, args: string[]): ChildProcess {
  return track(spawn(command, args, { stdio: 'ignore' }));
}

export { sleep, tempDir };
