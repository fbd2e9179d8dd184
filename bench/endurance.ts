// `npm run bench:endurance`: each write scenario for minutes on the last bench run's database,
// throughput per window, to show whether a scenario slows down as dead tuples pile up (run it
// with autovacuum off). Needs a finished seed (`npm run bench` first). See docs/benchmarks.md.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { IterationCounter, runHttpLoad } from './http-load';
import { readOptions } from './options';
import {
  BENCH_JWT_SECRET,
  buildApp,
  clearRedisPrefix,
  migrateDatabase,
  startApp,
  stopApp,
  waitUntilReady,
} from './processes';
import { buildScenarios, loadFixtures } from './scenarios';
import { seededPeople } from './seed';
import { log, round } from './util';

interface WindowResult {
  window: number;
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const totalSeconds = Number(process.env.BENCH_ENDURANCE_SECONDS ?? 300);
  const windowSeconds = Number(process.env.BENCH_ENDURANCE_WINDOW ?? 30);
  buildApp(options);
  await clearRedisPrefix(options);
  const client = new Client({ connectionString: options.databaseUrl });
  await client.connect();
  const people = await seededPeople(client, options.tickets);
  if (!people) throw new Error(`no finished seed of ${options.tickets} tickets: run npm run bench`);
  migrateDatabase(options);
  const autovacuum = (await client.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0];
  const fixtures = await loadFixtures(client, people, BENCH_JWT_SECRET);
  await client.end();
  log(
    `endurance: ${totalSeconds} s per write scenario in ${windowSeconds} s windows, ` +
      `${options.connections} connections, autovacuum ${autovacuum.autovacuum}`,
  );
  const api = startApp(options, 'api');
  const worker = startApp(options, 'worker');
  const results: Record<string, { windows: WindowResult[]; drop: number }> = {};
  try {
    await waitUntilReady(options.port);
    for (const scenario of buildScenarios(fixtures).filter((s) => s.kind === 'write')) {
      const counter = new IterationCounter();
      const windows: WindowResult[] = [];
      for (let window = 1; window * windowSeconds <= totalSeconds; window++) {
        const m = await runHttpLoad(
          scenario,
          { port: options.port, connections: options.connections, seconds: windowSeconds },
          counter,
        );
        windows.push({
          window,
          requestsPerSecond: m.requestsPerSecond,
          p99Ms: m.p99Ms,
          errors: m.errors,
          non2xx: m.non2xx,
        });
        log(`  ${scenario.name} window ${window}: ${m.requestsPerSecond} req/s, p99 ${m.p99Ms} ms`);
      }
      // The slowdown: the last window against the best of the first two (the first warms up).
      const start = Math.max(...windows.slice(0, 2).map((w) => w.requestsPerSecond));
      const end = windows[windows.length - 1].requestsPerSecond;
      const drop = round(start > 0 ? 1 - end / start : 0);
      results[scenario.name] = { windows, drop };
      log(`  ${scenario.name}: ${round(drop * 100)} % slower at the end`);
    }
  } finally {
    await stopApp(api);
    await stopApp(worker);
  }
  const file = join(
    options.resultsDir,
    `endurance-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  writeFileSync(
    file,
    JSON.stringify({ date: new Date().toISOString(), autovacuum, totalSeconds, results }, null, 2),
  );
  log(`report: ${file}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
