// What a bench run does, from the environment and the command line.
import { resolve } from 'node:path';

export interface BenchOptions {
  tickets: number;
  /** Measured seconds per scenario (API and raw each). */
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  quick: boolean;
  databaseUrl: string;
  /** postgres://… of the server, for CREATE/DROP DATABASE. */
  maintenanceUrl: string;
  databaseName: string;
  redisUrl: string;
  port: number;
  /** Where benchmarks.md is appended and results/<timestamp>.json written. */
  reportDir: string;
  resultsDir: string;
  skipBuild: boolean;
  /** Keep a database an earlier run seeded with the same BENCH_TICKETS (migrated forward). */
  reuseSeed: boolean;
  /** Measure the scenarios only (no export, analytics or SLA sweep timings): a quick re-run. */
  skipOneOffs: boolean;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

export function readOptions(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const databaseUrl =
    process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/helpdesk_bench';
  const url = new URL(databaseUrl);
  const databaseName = url.pathname.replace(/^\//, '');
  if (!/^[a-z0-9_]*bench[a-z0-9_]*$/.test(databaseName)) {
    // It is dropped and recreated: refuse anything that does not say it is a bench database.
    throw new Error(
      `BENCH_DATABASE_URL must name a database containing "bench", got "${databaseName}"`,
    );
  }
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const reportDir = resolve(process.env.BENCH_REPORT_DIR ?? 'docs');
  const tickets = positiveInt('BENCH_TICKETS', 1_000_000);
  // The full protocol (20 s after a 5 s warm-up) at scale; shorter for quick checks on small
  // seeds, so BENCH_TICKETS=50000 stays under five minutes.
  const full = tickets >= 500_000;
  const defaultDuration = quick ? 2 : full ? 20 : 8;
  const defaultWarmup = quick ? 1 : full ? 5 : 3;
  return {
    tickets,
    durationSeconds: positiveInt('BENCH_DURATION', defaultDuration),
    warmupSeconds: positiveInt('BENCH_WARMUP', defaultWarmup),
    connections: positiveInt('BENCH_CONNECTIONS', 50),
    quick,
    databaseUrl,
    maintenanceUrl: maintenance.toString(),
    databaseName,
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    port: positiveInt('BENCH_PORT', 3900),
    reportDir,
    resultsDir: process.env.BENCH_REPORT_DIR
      ? resolve(reportDir, 'results')
      : resolve('bench/results'),
    skipBuild: argv.includes('--skip-build'),
    reuseSeed: argv.includes('--reuse-seed'),
    skipOneOffs: argv.includes('--skip-one-offs'),
  };
}
