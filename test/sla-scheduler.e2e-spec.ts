import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import {
  controlClock,
  createStaff,
  createTestApp,
  eventually,
  separateDatabase,
  sleep,
  uniqueEmail,
  type ClockControl,
  type SeparateDatabase,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';
import { SLA_QUEUE, SLA_SWEEP_JOB, SLA_SWEEP_JOB_ID } from 'src/sla/sla.constants';
import { SlaSweepService } from 'src/sla/sla-sweep.service';

const INTERVAL_MS = 400;

// The real scheduler: two worker instances on one database and one Redis prefix, a sweep every
// 400 ms, a 1-minute urgent policy, and the clock moved a minute on instead of waited for.
describe('the SLA sweep on its schedule, with two worker instances', () => {
  let database: SeparateDatabase;
  const apps: TestApp[] = [];
  const clocks: ClockControl[] = [];

  const boot = async () => {
    const app = await createTestApp({
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}:sla_scheduler`,
      SLA_SWEEP_INTERVAL_MS: String(INTERVAL_MS),
      APP_ROLE: 'worker',
    });
    apps.push(app);
    clocks.push(controlClock(app));
    return app;
  };
  const schedules = async (app: TestApp) =>
    (await app.app.get<Queue>(getQueueToken(SLA_QUEUE)).getRepeatableJobs()).filter(
      (job) => job.name === SLA_SWEEP_JOB,
    );

  beforeAll(() => {
    database = separateDatabase('sla_scheduler');
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await database?.drop();
  });

  it('keeps one schedule however many workers start, replacing one of another interval', async () => {
    const first = await boot();
    await eventually(async () => (await schedules(first)).length === 1, {
      what: 'the first worker to schedule the sweep',
    });
    // A schedule left behind by an earlier SLA_SWEEP_INTERVAL_MS.
    await first.app
      .get<Queue>(getQueueToken(SLA_QUEUE))
      .add(SLA_SWEEP_JOB, {}, { jobId: SLA_SWEEP_JOB_ID, repeat: { every: 5 * INTERVAL_MS } });
    expect(await schedules(first)).toHaveLength(2);

    await boot();
    const [only] = await eventually(
      async () => {
        const found = await schedules(first);
        return found.length === 1 && found;
      },
      { what: 'the stale schedule to go' },
    );
    expect(only.every).toBe(INTERVAL_MS);
  });

  it('runs each tick once across the workers', async () => {
    const runs = apps.map((app) => jest.spyOn(app.app.get(SlaSweepService), 'run'));
    const started = Date.now();
    await sleep(10 * INTERVAL_MS);
    const ticks = Math.ceil((Date.now() - started) / INTERVAL_MS) + 1;
    const total = runs.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    runs.forEach((spy) => spy.mockRestore());
    expect(total).toBeGreaterThanOrEqual(5);
    expect(total).toBeLessThanOrEqual(ticks);
  });

  it('sees a 1-minute first response breach on the next tick, and records it once', async () => {
    const [api] = apps;
    const admin = await createStaff(api, 'admin');
    const manager = await createStaff(api, 'support_manager');
    await api.http
      .put('/api/v1/admin/sla-policies/urgent')
      .set(admin.auth)
      .send({ first_response_minutes: 1, resolution_minutes: 10, business_hours: false })
      .expect(200);
    const created = await api.http
      .post('/api/v1/admin/tickets')
      .set(manager.auth)
      .send({
        requester_email: uniqueEmail('caller'),
        subject: 'Down',
        message: 'Everything is down.',
        priority: 'urgent',
      })
      .expect(201);
    const ticketId: string = created.body.id;
    const createdAt = new Date(created.body.created_at);
    expect(created.body.sla.first_response_due_at).toBe(
      new Date(createdAt.getTime() + 60_000).toISOString(),
    );

    // A minute and a second later, on whichever worker takes the tick.
    for (const clock of clocks) clock.set(new Date(createdAt.getTime() + 61_000));
    const breach = (who: SignedInUser) =>
      api.http
        .get(`/api/v1/admin/audit-logs?action=ticket.sla.breach&resource_id=${ticketId}`)
        .set(who.auth)
        .expect(200);
    await eventually(async () => (await breach(admin)).body.items.length > 0, {
      timeoutMs: 10 * INTERVAL_MS,
      what: 'the scheduled sweep to mark the breach',
    });
    await sleep(3 * INTERVAL_MS); // more ticks: nothing twice
    const entries = (await breach(admin)).body.items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: { type: 'system' } });
    const ticket = await api.http.get(`/api/v1/admin/tickets/${ticketId}`).set(manager.auth);
    expect(ticket.body.sla).toMatchObject({ first_response_breached: true, state: 'breached' });
    const emails = await api.app
      .get(DataSource)
      .query(`SELECT recipient FROM notification WHERE ticket_id = $1 AND event = 'sla_breached'`, [
        ticketId,
      ]);
    expect(emails).toEqual([{ recipient: manager.user.email }]);
  });
});
