// Keeps `npm run bench` from rotting: the quick mode on a tiny seed must complete and write its
// report. No performance assertions (machines are noisy); the figures are not looked at.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);
const base = process.env.TEST_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';

describe('npm run bench -- --quick', () => {
  const reportDir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-report-'));
  const database = `helpdesk_bench_test_${process.pid}`;

  afterAll(async () => {
    rmSync(reportDir, { recursive: true, force: true });
    const admin = new Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  });

  it('seeds 2,000 tickets, measures every scenario and writes the markdown and JSON report', async () => {
    await run('npm', ['run', 'bench', '--', '--quick'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        BENCH_TICKETS: '2000',
        BENCH_REPORT_DIR: reportDir,
        BENCH_DATABASE_URL: `${base}/${database}`,
        BENCH_PORT: String(3920 + (process.pid % 40) * 2),
      },
      // The write scenarios' floors add three short runs to the quick mode.
      timeout: 230_000,
      maxBuffer: 32 * 1024 * 1024,
    });

    const markdown = readFileSync(join(reportDir, 'benchmarks.md'), 'utf8');
    expect(markdown).toContain('2,000 tickets (quick)');
    expect(markdown).toContain('| default staff inbox |');
    const results = join(reportDir, 'results');
    expect(existsSync(results)).toBe(true);
    const [file] = readdirSync(results).filter((name) => name.endsWith('.json'));
    const report = JSON.parse(readFileSync(join(results, file), 'utf8'));
    expect(report.tickets).toBe(2000);
    expect(report.scenarios.map((s: { name: string }) => s.name)).toEqual([
      'public ticket creation',
      'agent reply',
      'status change',
      'default staff inbox',
      'filtered inbox',
      'full-text search',
      'ticket detail (6 messages)',
      'customer portal list',
    ]);
    for (const scenario of report.scenarios) expect(scenario.statements).toBeGreaterThan(0);
    // Each write scenario has its floor, measured in the same run, without failures.
    type Scenario = {
      kind: string;
      transactions: number;
      floor?: { requests: number; errors: number };
      floorRatio?: number;
    };
    const writes = (report.scenarios as Scenario[]).filter((s) => s.kind === 'write');
    expect(writes).toHaveLength(3);
    for (const scenario of writes) {
      expect(scenario.transactions).toBeGreaterThanOrEqual(1);
      expect(scenario.floor?.requests).toBeGreaterThan(0);
      expect(scenario.floor?.errors).toBe(0);
      expect(typeof scenario.floorRatio).toBe('number'); // no figure is asserted: machines are noisy
    }
    expect(markdown).toContain('| API/floor |');
  }, 240_000);
});
