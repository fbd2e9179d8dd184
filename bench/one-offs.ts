// Timed single operations: the SLA sweep, the CSV export and the analytics summary. Each is a
// feature other branches are bringing in: when it is missing here, it is reported as not available.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Client } from 'pg';
import { appBuildDir, appEnv, residentMegabytes, type AppProcess } from './processes';
import type { BenchOptions } from './options';
import { log, round, sleep } from './util';

export interface OneOffResult {
  available: boolean;
  /** Why not, when not available. */
  reason?: string;
  seconds?: number;
  [figure: string]: unknown;
}

export function notAvailable(reason: string): OneOffResult {
  log(`  not available: ${reason}`);
  return { available: false, reason };
}

// ---- CSV export ---------------------------------------------------------------------------------

export async function timeExport(
  port: number,
  adminToken: string,
  api: AppProcess,
): Promise<OneOffResult> {
  const rssBefore = residentMegabytes(api.child.pid) ?? 0;
  let peakRss = rssBefore;
  let sampling = true;
  const sampler = (async () => {
    for (let i = 0; sampling && i < 60 * 60 * 20; i++) {
      peakRss = Math.max(peakRss, residentMegabytes(api.child.pid) ?? 0);
      await sleep(50);
    }
  })();
  const started = performance.now();
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/admin/tickets/export`, {
      headers: { authorization: `Bearer ${adminToken}` },
      signal: AbortSignal.timeout(30 * 60_000),
    });
    if (!response.ok || !response.body) {
      await response.arrayBuffer();
      return notAvailable(`GET /api/v1/admin/tickets/export answered ${response.status}`);
    }
    let bytes = 0;
    let lines = 0;
    for await (const chunk of response.body) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines++;
    }
    return {
      available: true,
      seconds: round((performance.now() - started) / 1000, 2),
      rows: Math.max(0, lines - 1),
      megabytes: round(bytes / 1_048_576),
      rssBeforeMb: round(rssBefore),
      peakRssMb: round(peakRss),
    };
  } finally {
    sampling = false;
    await sampler;
  }
}

// ---- analytics summary --------------------------------------------------------------------------

export async function timeAnalyticsSummary(port: number, token: string): Promise<OneOffResult> {
  const to = new Date();
  const from = new Date(to.getTime() - 365 * 86_400_000);
  const url = `http://127.0.0.1:${port}/api/v1/admin/analytics/summary?from=${from.toISOString()}&to=${to.toISOString()}`;
  const timings: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (!response.ok) {
      return notAvailable(`GET /api/v1/admin/analytics/summary answered ${response.status}`);
    }
    timings.push((performance.now() - started) / 1000);
  }
  return {
    available: true,
    seconds: round(timings[0], 3),
    bestOfThreeSeconds: round(Math.min(...timings), 3),
  };
}

// ---- SLA sweep ------------------------------------------------------------------------------------

// The app's build is CommonJS; load it at run time (it may lack a feature this bench looks for).
const load = createRequire(__filename);

const SWEEP_METHODS = ['sweep', 'sweepOnce', 'runSweep', 'run'];

interface SweepService {
  className: string;
  method: string;
  token: abstract new (...args: never[]) => unknown;
}

/** An exported class under dist/src/sla with a sweep-like method, if the build has one. */
function findSweepService(build: string): SweepService | null {
  const directory = join(build, 'src/sla');
  if (!existsSync(directory)) return null;
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.js'))) {
    const exported = load(join(directory, file)) as Record<string, unknown>;
    for (const [className, value] of Object.entries(exported)) {
      if (typeof value !== 'function' || !/sweep/i.test(className + file)) continue;
      const prototype = (value as { prototype?: Record<string, unknown> }).prototype ?? {};
      const method = SWEEP_METHODS.find((name) => typeof prototype[name] === 'function');
      if (method) {
        return { className, method, token: value as SweepService['token'] };
      }
    }
  }
  return null;
}

interface NestContext {
  get(token: unknown, options: { strict: boolean }): Record<string, () => Promise<unknown>>;
  close(): Promise<void>;
}

async function bootContext(options: BenchOptions): Promise<NestContext> {
  // The app reads its configuration from the environment: give it the bench's (worker role).
  Object.assign(process.env, appEnv(options, 'worker', { LOG_LEVEL: 'error' }));
  const build = appBuildDir(options);
  const { loadConfig } = load(join(build, 'src/config/app-config.js')) as {
    loadConfig: () => unknown;
  };
  const { AppModule } = load(join(build, 'src/app.module.js')) as {
    AppModule: { forRoot(config: unknown): unknown };
  };
  const { NestFactory } = load('@nestjs/core') as {
    NestFactory: {
      createApplicationContext(module: unknown, options: object): Promise<NestContext>;
    };
  };
  return NestFactory.createApplicationContext(AppModule.forRoot(loadConfig()), { logger: false });
}

/**
 * Makes `count` open tickets due for a first response a minute ago, not yet judged: their stored
 * SLA state says nothing happened yet and their next check (the sweep's index) is now.
 */
async function makeTicketsDue(databaseUrl: string, count: number): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query(
      `UPDATE ticket SET first_response_due_at = now() - interval '1 minute',
         first_response_at_risk_at = now() - interval '10 minutes',
         first_response_breached_at = NULL, first_responded_at = NULL,
         first_response_met_at = NULL, first_response_at_risk_notified_at = NULL,
         sla_state = 'ok', sla_next_check_at = now() - interval '10 minutes'
       WHERE id IN (SELECT id FROM ticket WHERE status IN ('open', 'in_progress')
                      AND deleted_at IS NULL ORDER BY number LIMIT $1)`,
      [count],
    );
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

export async function timeSlaSweep(options: BenchOptions): Promise<OneOffResult> {
  const service = findSweepService(appBuildDir(options));
  if (!service) {
    return notAvailable('no exported class with a sweep/run method in src/sla of this build');
  }
  const context = await bootContext(options);
  try {
    const sweeper = context.get(service.token, { strict: false });
    let lastReport: unknown = null;
    const sweep = async () => {
      const started = performance.now();
      lastReport = await sweeper[service.method]();
      return round((performance.now() - started) / 1000, 3);
    };
    const nothingDueSeconds = await sweep();
    const due = await makeTicketsDue(options.databaseUrl, 1000);
    const dueSeconds = await sweep();
    // What the second sweep says it did, so a sweep that found nothing cannot pass for a fast one.
    const dueSweepReport = JSON.stringify(lastReport);
    return {
      available: true,
      service: `${service.className}.${service.method}()`,
      seconds: nothingDueSeconds,
      nothingDueSeconds,
      ticketsDue: due,
      dueSeconds,
      dueSweepReport,
    };
  } finally {
    await context.close();
  }
}
