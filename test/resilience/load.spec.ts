import { randomUUID } from 'node:crypto';
import { sleep, throwawayRedis, type ThrowawayRedis } from '@helpdesk/testing';
import { call, histogram, percentile, runClients, type Answer } from './support/client';
import {
  startApp,
  stopAll,
  throwawayPostgres,
  type AppProcess,
  type ThrowawayPostgres,
} from './support/processes';

// 100 concurrent clients against the child-process app (api + worker) for
// RESILIENCE_LOAD_SECONDS (default 60): public creates, agent replies, status changes and list
// queries. Zero 5xx, and afterwards every count reconciles with the answers the clients got.
const SECONDS = Number(process.env.RESILIENCE_LOAD_SECONDS ?? 60);
const CLIENTS = Number(process.env.RESILIENCE_LOAD_CLIENTS ?? 100);
const DATABASE = 'helpdesk_load';
const ADMIN = { email: 'admin@load.test', password: 'load-admin-password-123' };

type Kind = 'create' | 'reply' | 'status' | 'list' | 'read';

describe(`load: ${CLIENTS} clients for ${SECONDS} s`, () => {
  let pg: ThrowawayPostgres;
  let redis: ThrowawayRedis;
  let api: AppProcess;
  let auth: Record<string, string>;

  beforeAll(async () => {
    [pg, redis] = await Promise.all([throwawayPostgres(), throwawayRedis()]);
    const env = {
      DATABASE_URL: pg.url(DATABASE),
      REDIS_URL: redis.url,
      REDIS_PREFIX: `load_${randomUUID().slice(0, 8)}`,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      DATABASE_POOL_SIZE: '30',
    };
    api = await startApp('api', env);
    await startApp('worker', { ...env, LOG_LEVEL: 'info' }); // writes the emails (.eml files)
    const login = await call(api.url, 'POST', '/api/v1/auth/login', { body: ADMIN });
    auth = { Authorization: `Bearer ${(login.body as { access_token: string }).access_token}` };
  });

  afterAll(async () => {
    await stopAll();
    await redis?.stop();
  });

  it('answers without a 5xx, and the database reconciles with the answers', async () => {
    const tickets: string[] = [];
    const byKind = new Map<Kind, Answer[]>();
    const record = (kind: Kind, answer: Answer) => {
      const list = byKind.get(kind) ?? [];
      list.push(answer);
      byKind.set(kind, list);
      return answer;
    };
    const create = async (n: string) => {
      const answer = await call(api.url, 'POST', '/api/v1/tickets', {
        body: {
          name: 'Load',
          email: `load-${n}@example.test`,
          subject: `Load ${n}`,
          message: 'Hi.',
        },
      });
      if (answer.status === 201)
        tickets.push((answer.body as { ticket: { id: string } }).ticket.id);
      return record('create', answer);
    };
    for (let i = 0; i < 20; i += 1) await create(`seed-${i}`);
    const pick = () => tickets[Math.floor(Math.random() * tickets.length)];

    const started = Date.now();
    const answers = await runClients(CLIENTS, SECONDS * 1000, async (client, i) => {
      const roll = Math.random();
      if (roll < 0.35) return create(`${client}-${i}`);
      if (roll < 0.55)
        return record(
          'reply',
          await call(api.url, 'POST', `/api/v1/admin/tickets/${pick()}/replies`, {
            headers: auth,
            body: { body: `Reply ${client}-${i}` },
          }),
        );
      if (roll < 0.7) {
        const status = ['in_progress', 'pending', 'open'][i % 3];
        return record(
          'status',
          await call(api.url, 'PATCH', `/api/v1/admin/tickets/${pick()}/status`, {
            headers: auth,
            body: { status },
          }),
        );
      }
      if (roll < 0.9)
        return record(
          'list',
          await call(api.url, 'GET', `/api/v1/admin/tickets?limit=20&status=open,in_progress`, {
            headers: auth,
          }),
        );
      return record(
        'read',
        await call(api.url, 'GET', `/api/v1/admin/tickets/${pick()}`, { headers: auth }),
      );
    });
    const elapsed = (Date.now() - started) / 1000;

    const failures = answers.filter((a) => a.status >= 500 || a.status === 0);
    expect(
      failures.map((a) => `${a.status} ${a.error ?? JSON.stringify(a.body)}`.slice(0, 200)),
    ).toEqual([]);
    // status changes may legitimately conflict (409: not a legal move from the current status)
    const unexpected = answers.filter((a) => a.status >= 400 && a.status !== 409);
    expect(unexpected.map((a) => `${a.status} ${JSON.stringify(a.body)}`.slice(0, 200))).toEqual(
      [],
    );

    const ok = (kind: Kind, status: number) =>
      (byKind.get(kind) ?? []).filter((a) => a.status === status).length;
    const created = ok('create', 201);
    const replies = ok('reply', 201);
    const statusChanges = ok('status', 200);
    const count = async (sql: string) =>
      (await pg.query<{ n: number }>(DATABASE, `SELECT (${sql})::int AS n`))[0].n;

    expect(await count('SELECT count(*) FROM ticket')).toBe(created);
    expect(await count('SELECT count(*) FROM ticket_message')).toBe(created + replies);
    expect(await count(`SELECT count(*) FROM audit_log WHERE action = 'ticket.create'`)).toBe(
      created,
    );
    expect(await count(`SELECT count(*) FROM audit_log WHERE action = 'ticket.reply'`)).toBe(
      replies,
    );
    expect(
      // a reply that moves the status writes one too, in the same request: count those apart
      await count(
        `SELECT count(*) FROM audit_log s WHERE s.action = 'ticket.status.update' AND NOT EXISTS
           (SELECT 1 FROM audit_log r WHERE r.action = 'ticket.reply' AND r.request_id = s.request_id)`,
      ),
    ).toBe(statusChanges);
    expect(await count(`SELECT count(*) FROM notification WHERE event = 'ticket_created'`)).toBe(
      created,
    );
    expect(await count(`SELECT count(*) FROM notification WHERE event = 'agent_reply'`)).toBe(
      replies,
    );
    // and the worker sends them all. How fast depends on the machine (CI shares two cores), so
    // fail on a stall — no row sent for 30 s while some are unsent — not on a fixed deadline.
    const sendingFrom = Date.now();
    let unsent = Number.POSITIVE_INFINITY;
    let progressAt = Date.now();
    for (;;) {
      const now = await count(`SELECT count(*) FROM notification WHERE status <> 'sent'`);
      if (now === 0) break;
      if (now < unsent) [unsent, progressAt] = [now, Date.now()];
      if (Date.now() - progressAt > 30_000 || Date.now() - sendingFrom > 600_000) {
        // Say which rows are stuck and how, so a failure here can be read without re-running it.
        const stuck = await pg.query(
          DATABASE,
          `SELECT status, queued_at IS NOT NULL AS queued, attempts,
                  left(coalesce(last_error, ''), 120) AS error, count(*)::int AS n
             FROM notification WHERE status <> 'sent' GROUP BY 1, 2, 3, 4 ORDER BY n DESC LIMIT 10`,
        );
        throw new Error(`${now} notification(s) not sent, none for 30 s: ${JSON.stringify(stuck)}`);
      }
      await sleep(500);
    }
    const sendingSeconds = (Date.now() - sendingFrom) / 1000;

    const latencies = (kind: Kind) => (byKind.get(kind) ?? []).map((a) => a.ms);
    const line = (kind: Kind) =>
      `${kind} ${latencies(kind).length} (p50 ${Math.round(percentile(latencies(kind), 50))} ms, ` +
      `p95 ${Math.round(percentile(latencies(kind), 95))} ms, p99 ${Math.round(percentile(latencies(kind), 99))} ms)`;
    console.info(
      `load: ${CLIENTS} clients, ${elapsed.toFixed(0)} s, ${answers.length} requests ` +
        `(${(answers.length / elapsed).toFixed(0)}/s), statuses ${JSON.stringify(histogram(answers))}\n` +
        (['create', 'reply', 'status', 'list', 'read'] as Kind[]).map(line).join('\n') +
        `\nreconciled: ${created} tickets, ${created + replies} messages, ${statusChanges} status changes` +
        `\nemails: the last sent ${sendingSeconds.toFixed(1)} s after the load ended`,
    );
  });
});
