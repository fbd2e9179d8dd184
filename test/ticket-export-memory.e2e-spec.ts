import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import {
  createCustomer,
  createStaff,
  createTestApp,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';
import { compileForChildProcess } from './support/child-app';
import { CsvRecordCounter } from './support/csv';

const ROWS = 100_000;
/**
 * The child's old generation (and a small young one): the idle app needs about 40 MB of it, and
 * holding 100k exported rows (or their 30 MB of CSV) at once would need several times the rest.
 */
const OLD_SPACE_MB = Number(process.env.EXPORT_TEST_OLD_SPACE_MB ?? 64);
const SEMI_SPACE_MB = 8;
/** How much the heap may grow while exporting: a few cursor batches and stream buffers. */
const MAX_HEAP_GROWTH_MB = 24;

type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'reset'; heapBytes: number }
  | { type: 'report'; peakHeapBytes: number; maxRssBytes: number; heapLimitBytes: number };

/**
 * 100k tickets in one statement; every 10th subject is formula-like, every one needs quoting.
 * The per-row search-vector trigger would be most of the cost and plays no part in an export, so
 * it is skipped where the test database lets us (session_replication_role needs a superuser).
 */
async function seedTickets(dataSource: DataSource, requesterId: string, category: string) {
  const insert = `INSERT INTO ticket (id, subject, channel, requester_id, category, tags, created_at)
    SELECT gen_random_uuid(),
           CASE WHEN g % 10 = 0 THEN '=cmd ' ELSE '' END || 'Row ' || g || ', with "quotes" and padding ' || repeat('x', 60),
           'web', $1, $2, ARRAY['bulk', 'memory'], now() - g * interval '1 second'
    FROM generate_series(1, ${ROWS}) g`;
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    try {
      await runner.query('SET LOCAL session_replication_role = replica');
    } catch {
      await runner.rollbackTransaction();
      await runner.startTransaction();
    }
    await runner.query(insert, [requesterId, category]);
    await runner.commitTransaction();
  } finally {
    await runner.release();
  }
}

describe('CSV export in constant memory (100k rows, child process with a capped heap)', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let outDir: string;
  let child: ChildProcess | undefined;
  const category = `export-memory-${Date.now().toString(36)}`;

  const next = <T extends ChildMessage['type']>(type: T) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type) return;
        child!.off('message', onMessage).off('exit', onExit);
        resolve(message as Extract<ChildMessage, { type: T }>);
      };
      const onExit = (code: number | null, signal: string | null) =>
        reject(new Error(`the app process exited (code ${code}, signal ${signal})`));
      child!.on('message', onMessage).once('exit', onExit);
    });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createStaff(t, 'admin');
    const requester = (await createCustomer(t, { name: 'Memory, "Test" Requester' })).user.id;
    await seedTickets(t.app.get(DataSource), requester, category);
    outDir = mkdtempSync(join(tmpdir(), 'helpdesk-export-child-'));
    const root = resolve(__dirname, '..');
    compileForChildProcess(root, outDir, [join(root, 'test/support/export-server.ts')]);
    child = fork(join(outDir, 'test/support/export-server.js'), [], {
      execArgv: [
        `--max-old-space-size=${OLD_SPACE_MB}`,
        `--max-semi-space-size=${SEMI_SPACE_MB}`,
        '--expose-gc',
        '-r',
        join(outDir, 'paths.js'),
      ],
      // The test environment of this run (database, Redis prefix, secrets), without Jest's flags.
      env: { ...process.env, NODE_OPTIONS: '', PORT: '0', APP_ROLE: 'api' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.send('stop');
      await exited;
    }
    if (outDir) rmSync(outDir, { recursive: true, force: true });
    await t.app.get(DataSource).query('DELETE FROM ticket WHERE category = $1', [category]);
    await t.close();
  }, 60_000);

  it('streams every row while the heap stays flat, and the process survives', async () => {
    const { port } = await next('ready');
    child!.send('reset');
    const { heapBytes: heapBefore } = await next('reset');

    const counter = new CsvRecordCounter();
    const headers = await new Promise<Record<string, string | string[] | undefined>>(
      (resolve, reject) => {
        get(
          {
            host: '127.0.0.1',
            port,
            path: `/api/v1/admin/tickets/export?category=${category}`,
            headers: admin.auth,
          },
          (res) => {
            if (res.statusCode !== 200) reject(new Error(`export answered ${res.statusCode}`));
            res.on('data', (chunk: Buffer) => counter.push(chunk));
            res.on('end', () => resolve(res.headers));
            res.on('error', reject);
          },
        ).on('error', reject);
      },
    );

    child!.send('report');
    const report = await next('report');
    const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
    console.info(
      `export of ${ROWS} rows: ${mb(counter.bytes)} MB of CSV; child heap limit ${mb(report.heapLimitBytes)} MB, ` +
        `heap ${mb(heapBefore)} MB before, ${mb(report.peakHeapBytes)} MB peak; peak RSS ${mb(report.maxRssBytes)} MB`,
    );

    expect(headers['x-total-count']).toBe(String(ROWS));
    expect(counter.records).toBe(ROWS + 1); // the header row, then one per ticket
    expect(counter.bytes).toBeGreaterThan(ROWS * 100);
    expect(child!.exitCode).toBeNull();
    expect(report.peakHeapBytes - heapBefore).toBeLessThan(MAX_HEAP_GROWTH_MB * 1024 * 1024);
  }, 120_000);
});
