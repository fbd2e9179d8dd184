// `npm run bench`: seed a bench database, run the production build, measure every scenario
// through the API and as raw SQL, time the one-off operations, and write the report.
// See docs/benchmarks.md.
import { Client } from 'pg';
import { IterationCounter, runHttpLoad } from './http-load';
import type { Measurement } from './measurement';
import { notAvailable, timeAnalyticsSummary, timeExport, timeSlaSweep } from './one-offs';
import { readOptions, type BenchOptions } from './options';
import {
  BENCH_JWT_SECRET,
  buildApp,
  clearRedisPrefix,
  migrateDatabase,
  recreateDatabase,
  residentMegabytes,
  startApp,
  stopApp,
  waitUntilReady,
  type AppProcess,
} from './processes';
import { runFloor } from './floor';
import { runRawReplay } from './raw-replay';
import {
  currentCommit,
  describeMachine,
  memorySummary,
  renderMarkdown,
  writeReport,
  type BenchReport,
  type ScenarioResult,
} from './report';
import { buildScenarios, loadFixtures, type Fixtures, type Scenario } from './scenarios';
import { seed, seededPeople } from './seed';
import { captureScenario, type ScenarioTemplate } from './sql-capture';
import { elapsedSince, log, round } from './util';

/** Raw replays number their iterations from here: after any HTTP run's, before the capture's. */
const RAW_FIRST_ITERATION = 500_000_000;
/** The floors number theirs from here: clear of the raw replay's, before the capture's. */
const FLOOR_FIRST_ITERATION = 700_000_000;

/** With --reuse-seed: the fixtures of an earlier run's finished seed of the same size, if any. */
async function reuseSeed(
  options: BenchOptions,
): Promise<{ fixtures: Fixtures; seconds: number; reused: true } | null> {
  const client = new Client({ connectionString: options.databaseUrl });
  const connected = await client.connect().then(
    () => true,
    () => false,
  );
  if (!connected) return null;
  try {
    const people = await seededPeople(client, options.tickets);
    if (!people) return null;
    log(
      `database ${options.databaseName}: reusing its seed of ${options.tickets} tickets, migrating`,
    );
    migrateDatabase(options);
    await client.query('ANALYZE');
    const fixtures = await loadFixtures(client, people, BENCH_JWT_SECRET);
    return { fixtures, seconds: 0, reused: true };
  } finally {
    await client.end();
  }
}

async function seedDatabase(
  options: BenchOptions,
): Promise<{ fixtures: Fixtures; seconds: number; reused?: true }> {
  const started = Date.now();
  if (options.reuseSeed) {
    const reused = await reuseSeed(options);
    if (reused) return reused;
    log('no finished seed of this size to reuse: seeding');
  }
  log(`database ${options.databaseName}: drop, create, migrate`);
  await recreateDatabase(options);
  const client = new Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    log(`seeding ${options.tickets} tickets`);
    const people = await seed(client, options.tickets);
    const fixtures = await loadFixtures(client, people, BENCH_JWT_SECRET);
    return { fixtures, seconds: round((Date.now() - started) / 1000) };
  } finally {
    await client.end();
  }
}

/** Runs each scenario's request twice against an app that logs its SQL, and keeps the SQL. */
async function captureTemplates(
  options: BenchOptions,
  scenarios: Scenario[],
): Promise<Map<string, ScenarioTemplate>> {
  const port = options.port + 1;
  log('capturing each scenario’s SQL (DATABASE_LOG_QUERIES=true)');
  const app = startApp(
    options,
    'api',
    { PORT: String(port), DATABASE_LOG_QUERIES: 'true', NO_COLOR: '1' },
    true,
  );
  const templates = new Map<string, ScenarioTemplate>();
  try {
    await waitUntilReady(port);
    for (const scenario of scenarios) {
      const template = await captureScenario(app, port, scenario);
      templates.set(scenario.name, template);
      const notes = template.notes.length ? ` — ${template.notes.join('; ')}` : '';
      log(`  ${scenario.name}: ${template.statements.length} statements${notes}`);
    }
  } finally {
    await stopApp(app);
  }
  return templates;
}

function describe(measurement: Measurement): string {
  const m = measurement;
  const failures = Object.keys(m.failures).length ? ` ${JSON.stringify(m.failures)}` : '';
  return `${m.requestsPerSecond} req/s, p50 ${m.p50Ms} / p95 ${m.p95Ms} / p99 ${m.p99Ms} ms, errors ${m.errors}, non-2xx ${m.non2xx}${failures}`;
}

async function measureScenario(
  options: BenchOptions,
  scenario: Scenario,
  template: ScenarioTemplate | undefined,
): Promise<ScenarioResult> {
  const counter = new IterationCounter();
  const load = { port: options.port, connections: options.connections };
  await runHttpLoad(scenario, { ...load, seconds: options.warmupSeconds }, counter);
  const api = await runHttpLoad(scenario, { ...load, seconds: options.durationSeconds }, counter);
  log(`  ${scenario.name} — API: ${describe(api)}`);
  let raw: Measurement | null = null;
  if (template?.statements.length) {
    const replay = {
      databaseUrl: options.databaseUrl,
      connections: options.connections,
      seconds: options.durationSeconds,
    };
    raw = await runRawReplay(scenario, template, replay, RAW_FIRST_ITERATION);
    log(`  ${scenario.name} — raw: ${describe(raw)}`);
  }
  const ratio =
    raw && raw.requestsPerSecond > 0
      ? round(api.requestsPerSecond / raw.requestsPerSecond, 2)
      : null;
  // The floor runs in the same run, right after, at the same concurrency (write scenarios only).
  const floor =
    scenario.kind === 'write'
      ? await runFloor(
          scenario,
          {
            databaseUrl: options.databaseUrl,
            connections: options.connections,
            seconds: options.durationSeconds,
          },
          FLOOR_FIRST_ITERATION,
        )
      : null;
  if (floor) log(`  ${scenario.name} — floor: ${describe(floor)}`);
  const floorRatio =
    floor && floor.requestsPerSecond > 0
      ? round(api.requestsPerSecond / floor.requestsPerSecond, 2)
      : null;
  const statements = template?.statements ?? [];
  return {
    name: scenario.name,
    kind: scenario.kind,
    api,
    raw,
    ...(floor ? { floor } : {}),
    ratio,
    ...(floor ? { floorRatio } : {}),
    statements: statements.length,
    transactions: statements.filter((s) => /^(START TRANSACTION|BEGIN)\b/i.test(s.sql)).length,
    captureNotes: template?.notes ?? [],
    capturedSql: (template?.statements ?? []).map((statement) => ({
      sql: statement.sql,
      parameters: statement.rules.map((rule) =>
        rule.kind === 'keep' || rule.kind === 'substitute' || rule.kind === 'substitute-array'
          ? `${rule.kind}: ${JSON.stringify(rule.value).slice(0, 80)}`
          : rule.kind,
      ),
    })),
  };
}

async function measureWithApp(
  options: BenchOptions,
  fixtures: Fixtures,
  scenarios: Scenario[],
  templates: Map<string, ScenarioTemplate>,
): Promise<Pick<BenchReport, 'scenarios' | 'export' | 'analyticsSummary'>> {
  let api = startApp(options, 'api');
  const worker = startApp(options, 'worker');
  const running: AppProcess[] = [api, worker];
  try {
    await waitUntilReady(options.port);
    log(`api and worker running (${memorySummary()})`);
    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      results.push(await measureScenario(options, scenario, templates.get(scenario.name)));
    }
    if (options.skipOneOffs) {
      const skipped = notAvailable('skipped (--skip-one-offs)');
      return { scenarios: results, export: skipped, analyticsSummary: skipped };
    }
    const apiRssAfterLoadMb = residentMegabytes(api.child.pid);
    log(`api RSS after the scenarios: ${apiRssAfterLoadMb} MB; restarting it for the one-offs`);
    // The export's memory is measured in a fresh api: what it adds, not what 50 connections of
    // load left in the heap (V8 keeps a grown heap; the figure is reported apart).
    await stopApp(api);
    api = startApp(options, 'api');
    running[0] = api;
    await waitUntilReady(options.port);
    const adminToken = fixtures.agentTokens.get(fixtures.people.adminId) ?? '';
    log('CSV export of all tickets');
    const exported = await timeExport(options.port, adminToken, api);
    if (exported.available) exported.apiRssAfterLoadMb = apiRssAfterLoadMb;
    log('analytics summary over a year');
    const analyticsSummary = await timeAnalyticsSummary(options.port, adminToken);
    return { scenarios: results, export: exported, analyticsSummary };
  } finally {
    for (const app of running) await stopApp(app);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const options = readOptions(process.argv.slice(2));
  const machine = describeMachine();
  log(
    `${options.tickets} tickets, ${options.connections} connections, ${options.durationSeconds} s per scenario` +
      (options.quick ? ' (quick)' : ''),
  );
  buildApp(options);
  await clearRedisPrefix(options);
  const { fixtures, seconds: seedSeconds, reused } = await seedDatabase(options);
  const scenarios = buildScenarios(fixtures);
  const templates = await captureTemplates(options, scenarios);
  const measured = await measureWithApp(options, fixtures, scenarios, templates);
  let slaSweep = notAvailable('skipped (--skip-one-offs)');
  if (!options.skipOneOffs) {
    log('SLA sweep over the full table');
    slaSweep = await timeSlaSweep(options);
  }
  const report: BenchReport = {
    date: new Date().toISOString(),
    commit: currentCommit(),
    machine,
    tickets: options.tickets,
    quick: options.quick,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    seedSeconds,
    seedReused: reused === true,
    totalSeconds: round((Date.now() - started) / 1000),
    ...measured,
    slaSweep,
  };
  const file = writeReport(options, report);
  console.log(`\n${renderMarkdown(report)}`);
  log(`report: ${file} and ${options.reportDir}/benchmarks.md (${elapsedSince(started)})`);
}

main().then(
  // The app context of the sweep may leave handles open (queues): the run is over, so exit.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
