import { randomUUID } from 'node:crypto';
import { eventually, sleep, throwawayRedis, type ThrowawayRedis } from '@helpdesk/testing';
import { call, histogram, percentile, runClients, type Answer } from './support/client';
import { startFaultSmtp, type FaultSmtp } from './support/fault-smtp';
import {
  startApp,
  stopAll,
  throwawayPostgres,
  type AppProcess,
  type ThrowawayPostgres,
} from './support/processes';

// Fault injection with real processes: a throwaway PostgreSQL cluster and redis-server, the built
// app as two child processes (APP_ROLE=api and APP_ROLE=worker), and an in-process SMTP server.
// Faults are injected in the order that leaves the system usable for the next one.
const DATABASE = 'helpdesk_resilience';
const ADMIN = { email: 'admin@resilience.test', password: 'resilience-admin-password' };

describe('fault injection (real processes)', () => {
  let pg: ThrowawayPostgres;
  let redis: ThrowawayRedis;
  let smtp: FaultSmtp;
  let api: AppProcess;
  let worker: AppProcess;
  let env: Record<string, string>;
  let adminAuth: Record<string, string>;
  const run = randomUUID().slice(0, 8);
  const emailFor = (label: string, n: number | string) => `${label}-${n}-${run}@example.test`;

  const startWorker = () => startApp('worker', { ...env, LOG_LEVEL: 'info' });
  const openTicket = (email: string, timeoutMs = 15_000) =>
    call(api.url, 'POST', '/api/v1/tickets', {
      body: { name: 'Fault Test', email, subject: 'Fault', message: 'Injected.' },
      timeoutMs,
    });
  const notification = async (email: string) =>
    (
      await pg.query<{ id: string; status: string; attempts: number; last_error: string | null }>(
        DATABASE,
        `SELECT id, status, attempts, last_error FROM notification
          WHERE recipient = '${email}' AND event = 'ticket_created'`,
      )
    )[0];

  beforeAll(async () => {
    [pg, redis, smtp] = await Promise.all([
      throwawayPostgres(),
      throwawayRedis(),
      startFaultSmtp(),
    ]);
    env = {
      DATABASE_URL: pg.url(DATABASE),
      REDIS_URL: redis.url,
      REDIS_PREFIX: `resilience_${run}`,
      SMTP_URL: smtp.url,
      MAIL_MAX_ATTEMPTS: '4',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // on, but high: the limiter must fail open while Redis is down
      PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000',
    };
    api = await startApp('api', env); // creates and migrates the database
    worker = await startWorker();
    const login = await call(api.url, 'POST', '/api/v1/auth/login', { body: ADMIN });
    expect(login.status).toBe(200);
    adminAuth = {
      Authorization: `Bearer ${(login.body as { access_token: string }).access_token}`,
    };
  });

  afterAll(async () => {
    await stopAll();
    await redis?.stop();
    await smtp?.close();
  });

  it('(d) SMTP 451 twice then accept: retried, delivered once', async () => {
    const email = emailFor('flaky', 1);
    smtp.verdict = (address, attempt) =>
      address === email && attempt <= 2
        ? { code: 451, message: '4.3.0 try again later' }
        : 'accept';
    expect((await openTicket(email)).status).toBe(201);
    await smtp.waitFor(email, 1, 30_000);
    const row = await eventually(async () => {
      const n = await notification(email);
      return n?.status === 'sent' && n;
    });
    await sleep(1500); // several sweeps: nothing goes out twice
    expect(smtp.count(email)).toBe(1);
    expect(row.attempts).toBe(3);
    expect(smtp.attempts.get(email)).toBe(3);
  });

  it('(d) SMTP refusing forever: failed, visible to admins, and retryable', async () => {
    const email = emailFor('refused', 1);
    smtp.verdict = (address) =>
      address === email ? { code: 451, message: '4.7.1 greylisted forever' } : 'accept';
    expect((await openTicket(email)).status).toBe(201);
    const failed = await eventually(
      async () => {
        const n = await notification(email);
        return n?.status === 'failed' && n;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'the notification to fail' },
    );
    expect(failed.attempts).toBe(4);
    expect(failed.last_error).toMatch(/451|greylisted/);
    expect(smtp.count(email)).toBe(0);

    const listed = await call(
      api.url,
      'GET',
      '/api/v1/admin/notifications?status=failed&limit=200',
      {
        headers: adminAuth,
      },
    );
    expect(listed.status).toBe(200);
    const item = (listed.body as { items: Array<{ id: string; last_error: string }> }).items.find(
      (i) => i.id === failed.id,
    );
    expect(item?.last_error).toMatch(/451|greylisted/);

    smtp.verdict = () => 'accept';
    const retry = await call(api.url, 'POST', `/api/v1/admin/notifications/${failed.id}/retry`, {
      headers: adminAuth,
    });
    expect(retry.status).toBe(202);
    await smtp.waitFor(email, 1, 30_000);
    await sleep(1500);
    expect(smtp.count(email)).toBe(1);
    expect((await notification(email)).status).toBe('sent');
  });

  it('(c) worker SIGKILLed mid-delivery: after a restart the mail goes out, once', async () => {
    const email = emailFor('killed', 1);
    smtp.holdData = true; // the worker will sit waiting for the reply to DATA
    expect((await openTicket(email)).status).toBe(201);
    await eventually(() => smtp.held > 0, { timeoutMs: 30_000, what: 'a delivery in progress' });
    const killedAt = Date.now();
    await worker.stop('SIGKILL');
    smtp.holdData = false;
    expect(smtp.count(email)).toBe(0); // never answered 250: not delivered

    worker = await startWorker();
    await smtp.waitFor(email, 1, 120_000);
    const recoveredMs = Date.now() - killedAt;
    await sleep(2000);
    expect(smtp.count(email)).toBe(1);
    const row = await notification(email);
    expect(row.status).toBe('sent');
    console.info(`fault (c): delivered ${Math.round(recoveredMs / 1000)} s after the SIGKILL`);
  });

  it('(a) Redis killed under load: creation keeps answering 201, ready says 503, receipts delivered once', async () => {
    let created = 0;
    const emails: string[] = [];
    const load = runClients(8, 10_000, async (client, i) => {
      const email = emailFor(`redis${client}`, i);
      const answer = await openTicket(email);
      if (answer.status === 201) {
        created += 1;
        emails.push(email);
      }
      return answer;
    });
    await sleep(2000);
    await redis.stop();
    const stoppedAt = Date.now();
    await sleep(1500);
    const ready = await call(api.url, 'GET', '/health/ready');
    const createdWhileDown = created;
    await sleep(3500);
    const downMs = Date.now() - stoppedAt;
    const createdDuringOutage = created - createdWhileDown;
    await redis.start();
    const answers = await load;

    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toMatch(/redis/i);
    expect(histogram(answers)).toEqual({ 201: answers.length });
    expect(createdDuringOutage).toBeGreaterThan(0);

    const deliveredBy = Date.now();
    for (const email of emails) await smtp.waitFor(email, 1, 90_000);
    const drainMs = Date.now() - deliveredBy;
    await sleep(2000);
    const duplicates = emails.filter((email) => smtp.count(email) !== 1);
    expect(duplicates).toEqual([]);
    console.info(
      `fault (a): ${answers.length} creates (all 201), Redis down ${downMs} ms, ` +
        `p99 ${Math.round(
          percentile(
            answers.map((a) => a.ms),
            99,
          ),
        )} ms, ` +
        `${emails.length} receipts delivered once, backlog drained in ${drainMs} ms after load`,
    );
    expect((await call(api.url, 'GET', '/health/ready')).status).toBe(200);
  });

  it('(b) PostgreSQL stopped 10 s under load: fast 503s, recovery by itself, no half-written ticket', async () => {
    const answers: Array<Answer & { at: number }> = [];
    const started = Date.now();
    const emails: string[] = [];
    const load = runClients(8, 18_000, async (client, i) => {
      const email = emailFor(`pg${client}`, i);
      const answer = await openTicket(email, 20_000);
      answers.push({ ...answer, at: Date.now() - started });
      if (answer.status === 201) emails.push(email);
      if (answer.status !== 201) await sleep(100); // a client backing off a little
      return answer;
    });
    await sleep(3000);
    await pg.stop('fast');
    const downAt = Date.now() - started;
    const readyWhileDown = await call(api.url, 'GET', '/health/ready');
    await sleep(10_000);
    await pg.start();
    const upAt = Date.now() - started;
    await load;

    // every answer: 201, or a 503 problem document — no 500, no hang, no dropped connection
    const bad = answers.filter(
      (a) =>
        !(a.status === 201) &&
        !(
          a.status === 503 &&
          a.contentType.startsWith('application/problem+json') &&
          (a.body as { code?: string }).code === 'SERVICE_UNAVAILABLE'
        ),
    );
    if (bad.length) console.error(api.output().slice(-8000));
    expect(
      bad.map((a) => `${a.status} ${a.error ?? JSON.stringify(a.body).slice(0, 200)}`),
    ).toEqual([]);
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    const worst503 = Math.max(...unavailable.map((a) => a.ms));
    expect(worst503).toBeLessThan(7_000); // connectionTimeoutMillis 5 s + margin
    expect(readyWhileDown.status).toBe(503);

    // it came back by itself: creates succeed again after the restart
    const recovered = answers.filter((a) => a.status === 201 && a.at > upAt);
    expect(recovered.length).toBeGreaterThan(0);
    const firstRecovered = Math.min(...recovered.map((a) => a.at)) - upAt;

    // no half-written ticket: each has its first message, its ticket.create audit entry and its
    // ticket_created notification; and each 201 is a ticket
    const incomplete = await pg.query<{ id: string }>(
      DATABASE,
      `SELECT t.id FROM ticket t
        WHERE NOT EXISTS (SELECT 1 FROM ticket_message m WHERE m.ticket_id = t.id)
           OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.resource_id = t.id::text AND a.action = 'ticket.create')
           OR NOT EXISTS (SELECT 1 FROM notification n WHERE n.ticket_id = t.id AND n.event = 'ticket_created')`,
    );
    expect(incomplete).toEqual([]);
    const [{ count }] = await pg.query<{ count: number }>(
      DATABASE,
      `SELECT count(*)::int AS count FROM notification
        WHERE event = 'ticket_created' AND recipient = ANY('{${emails.join(',')}}')`,
    );
    expect(count).toBe(emails.length);
    expect((await call(api.url, 'GET', '/health/ready')).status).toBe(200);
    console.info(
      `fault (b): PostgreSQL down ${upAt - downAt} ms; ${answers.length} creates: ` +
        `${JSON.stringify(histogram(answers))}; 503 latency p50 ` +
        `${Math.round(
          percentile(
            unavailable.map((a) => a.ms),
            50,
          ),
        )} ms, max ${Math.round(worst503)} ms; ` +
        `first 201 ${firstRecovered} ms after restart`,
    );
  });
});
