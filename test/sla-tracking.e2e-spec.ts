import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  controlClock,
  createStaff,
  createTestApp,
  openPublicTicket,
  separateDatabase,
  uniqueEmail,
  type ClockControl,
  type SeparateDatabase,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';
import { BusinessCalendar, DEFAULT_BUSINESS_HOURS } from 'src/sla/business-calendar';
import { addBusinessMinutes } from 'src/sla/business-clock';
import { SLA_SWEEP_LOCK } from 'src/sla/sla.constants';
import { SlaSweepService } from 'src/sla/sla-sweep.service';
import { TicketSlaTracker } from 'src/sla/ticket-sla.tracker';

const MINUTE = 60_000;

interface Opened {
  id: string;
  createdAt: Date;
  accessToken?: string;
}

// A database of its own: the clock moves days ahead here, and the sweep then looks at every
// ticket in the table and emails every support_manager.
describe('SLA tracking: due times, pauses, the sweep, auto-close (API.md sections 6, 9, 10)', () => {
  let database: SeparateDatabase;
  let t: TestApp;
  let clock: ClockControl;
  let db: DataSource;
  let admin: SignedInUser;
  let manager: SignedInUser;
  let otherManager: SignedInUser;
  let agent: SignedInUser;

  beforeAll(async () => {
    database = separateDatabase('sla_tracking');
    t = await createTestApp({
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}:sla_tracking`,
      // No scheduler here: each test runs the sweep itself, at the time it chose.
      APP_ROLE: 'api',
    });
    db = t.app.get(DataSource);
    clock = controlClock(t);
    admin = await createStaff(t, 'admin');
    manager = await createStaff(t, 'support_manager');
    otherManager = await createStaff(t, 'support_manager');
    agent = await createStaff(t, 'support');
    // A deactivated manager gets no SLA email.
    const gone = await createStaff(t, 'support_manager');
    await t.http
      .patch(`/api/v1/admin/users/${gone.user.id}`)
      .set(admin.auth)
      .send({ is_active: false })
      .expect(200);
  });

  // Each test starts at the real time (tickets' created_at comes from the database's clock).
  beforeEach(() => clock.set(new Date()));

  afterAll(async () => {
    clock?.restore();
    await t?.close();
    await database?.drop();
  });

  // ---- helpers -------------------------------------------------------------------------------

  const open = async (
    priority = 'urgent',
    assignee: SignedInUser | null = agent,
  ): Promise<Opened> => {
    const res = await t.http
      .post('/api/v1/admin/tickets')
      .set(manager.auth)
      .send({
        requester_email: uniqueEmail('caller'),
        subject: `An ${priority} problem`,
        message: 'The customer called.',
        priority,
        ...(assignee ? { assignee_id: assignee.user.id } : {}),
      })
      .expect(201);
    return { id: res.body.id, createdAt: new Date(res.body.created_at) };
  };
  /** A ticket from the public form, whose customer can answer through the portal. */
  const openPublic = async (priority = 'urgent'): Promise<Opened> => {
    const ticket = await openPublicTicket(t, { priority });
    const res = await get(ticket.id);
    return { id: ticket.id, createdAt: new Date(res.created_at), accessToken: ticket.accessToken };
  };
  const plus = (ticket: Opened, minutes: number) =>
    new Date(ticket.createdAt.getTime() + minutes * MINUTE);
  const at = (ticket: Opened, minutes: number) => clock.set(plus(ticket, minutes));
  const get = async (id: string) =>
    (await t.http.get(`/api/v1/admin/tickets/${id}`).set(agent.auth).expect(200)).body;
  const reply = async (id: string, extra: Record<string, unknown> = {}) =>
    t.http
      .post(`/api/v1/admin/tickets/${id}/replies`)
      .set(agent.auth)
      .send({ body: 'Looking into it.', ...extra })
      .expect(201);
  const setStatus = async (id: string, status: string, extra: Record<string, unknown> = {}) =>
    (
      await t.http
        .patch(`/api/v1/admin/tickets/${id}/status`)
        .set(manager.auth)
        .send({ status, ...extra })
        .expect(200)
    ).body;
  const resolve = (id: string) => setStatus(id, 'resolved', { resolution_notes: 'Fixed.' });
  const sweep = async () => (await t.app.get(SlaSweepService).run())!;
  const audit = async (id: string, action: string) =>
    (
      await t.http
        .get(`/api/v1/admin/audit-logs?action=${action}&resource_id=${id}&limit=200`)
        .set(admin.auth)
        .expect(200)
    ).body.items;
  const emails = async (id: string, event: string): Promise<string[]> =>
    (
      await db.query<Array<{ recipient: string }>>(
        `SELECT recipient FROM notification WHERE ticket_id = $1 AND event = $2 ORDER BY recipient`,
        [id, event],
      )
    ).map((row) => row.recipient);
  const slaTeam = () => [agent, manager, otherManager].map((u) => u.user.email).sort();
  const managersOnly = () => [manager, otherManager].map((u) => u.user.email).sort();

  // ---- due times ---------------------------------------------------------------------------

  describe('due times', () => {
    it.each([
      ['urgent', 60, 240],
      ['high', 240, 1440],
      ['normal', 480, 2880],
      ['low', 1440, 5760],
    ])(
      'sets them at creation from the %s policy (%i / %i calendar minutes)',
      async (priority, firstResponse, resolution) => {
        const ticket = await open(priority);
        const body = await get(ticket.id);
        expect(body.sla).toEqual({
          first_response_due_at: plus(ticket, firstResponse).toISOString(),
          first_response_breached: false,
          resolution_due_at: plus(ticket, resolution).toISOString(),
          resolution_breached: false,
          paused: false,
          state: 'ok',
        });
      },
    );

    it('counts business time when the policy says so', async () => {
      const policy = (business_hours: boolean) =>
        t.http
          .put('/api/v1/admin/sla-policies/normal')
          .set(admin.auth)
          .send({ first_response_minutes: 480, resolution_minutes: 2880, business_hours })
          .expect(200);
      await policy(true);
      try {
        const ticket = await open('normal');
        const office = BusinessCalendar.from(DEFAULT_BUSINESS_HOURS); // what the database holds
        const body = await get(ticket.id);
        expect(body.sla.first_response_due_at).toBe(
          addBusinessMinutes(ticket.createdAt, 480, office).toISOString(),
        );
        expect(body.sla.resolution_due_at).toBe(
          addBusinessMinutes(ticket.createdAt, 2880, office).toISOString(),
        );
      } finally {
        await policy(false);
      }
    });

    it('recomputes them from created_at when the priority changes', async () => {
      const ticket = await open('low');
      at(ticket, 30);
      const res = await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(manager.auth)
        .send({ priority: 'high' })
        .expect(200);
      expect(res.body.sla).toMatchObject({
        first_response_due_at: plus(ticket, 240).toISOString(),
        resolution_due_at: plus(ticket, 1440).toISOString(),
        state: 'ok',
      });
    });

    it('breaches at once when a higher priority puts the due time in the past', async () => {
      const ticket = await open('low');
      at(ticket, 90);
      const res = await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(manager.auth)
        .send({ priority: 'urgent' })
        .expect(200);
      expect(res.body.sla).toMatchObject({ first_response_breached: true, state: 'breached' });
      const [entry] = await audit(ticket.id, 'ticket.sla.breach');
      expect(entry).toMatchObject({ actor: { type: 'system' } });
      expect(entry.details).toMatchObject({ target: 'first_response' });
    });
  });

  // ---- pauses --------------------------------------------------------------------------------

  describe('pauses', () => {
    it('pauses resolution while waiting_customer and moves its due time out by the pause', async () => {
      const ticket = await openPublic('urgent');
      at(ticket, 10);
      await reply(ticket.id); // first response met; open → waiting_customer
      let body = await get(ticket.id);
      expect(body.status).toBe('waiting_customer');
      expect(body.sla).toMatchObject({
        paused: true,
        resolution_due_at: plus(ticket, 240).toISOString(),
        state: 'ok',
      });

      // Long past the resolution due time, but the clock is paused: nothing is breached.
      at(ticket, 300);
      await sweep();
      body = await get(ticket.id);
      expect(body.sla).toMatchObject({ paused: true, resolution_breached: false, state: 'ok' });

      // The customer answers 290 minutes into the pause: the due time moves out by 290.
      await t.http
        .post(`/api/v1/portal/tickets/${ticket.id}/messages`)
        .set('X-Ticket-Token', ticket.accessToken!)
        .send({ body: 'Here is the log.' })
        .expect(201);
      body = await get(ticket.id);
      expect(body.status).toBe('open');
      expect(body.sla).toMatchObject({
        paused: false,
        first_response_due_at: plus(ticket, 60).toISOString(),
        resolution_due_at: plus(ticket, 240 + 290).toISOString(),
        state: 'ok',
      });
      const [row] = await db.query(
        `SELECT sla_paused_calendar_minutes AS minutes FROM ticket WHERE id = $1`,
        [ticket.id],
      );
      expect(row.minutes).toBe(290);
    });

    it('treats time spent resolved as a pause when the ticket is reopened', async () => {
      const ticket = await open('urgent');
      at(ticket, 10);
      await reply(ticket.id, { status: 'in_progress' });
      at(ticket, 20);
      let body = await resolve(ticket.id);
      expect(body.sla).toMatchObject({ paused: false, resolution_breached: false, state: 'ok' });

      at(ticket, 500); // resolved for 480 minutes, long past the original due time
      body = await setStatus(ticket.id, 'open');
      expect(body.sla).toMatchObject({
        paused: false,
        resolution_due_at: plus(ticket, 240 + 480).toISOString(),
        resolution_breached: false,
        state: 'ok',
      });
      // And it runs again: 75 % of the target, not counting the resolved time, is at minute
      // 180 + 480.
      at(ticket, 661);
      await sweep();
      expect((await get(ticket.id)).sla.state).toBe('at_risk');
    });

    it('judges a resolution against a due time that excludes the wait before it', async () => {
      const ticket = await open('urgent');
      at(ticket, 10);
      await reply(ticket.id); // waiting_customer from minute 10
      at(ticket, 400); // resolved 160 minutes after the due time, but 390 of them were paused
      const body = await resolve(ticket.id);
      expect(body.sla).toMatchObject({
        resolution_due_at: plus(ticket, 240 + 390).toISOString(),
        resolution_breached: false,
        state: 'ok',
      });
    });
  });

  // ---- first response ------------------------------------------------------------------------

  describe('first response', () => {
    it('is met by an agent reply, never by an internal note', async () => {
      const noted = await open('urgent');
      const replied = await open('urgent');
      at(noted, 10);
      await t.http
        .post(`/api/v1/admin/tickets/${noted.id}/notes`)
        .set(agent.auth)
        .send({ body: 'Checking the logs first.' })
        .expect(201);
      await reply(replied.id);
      at(noted, 61);
      await sweep();
      expect((await get(noted.id)).sla).toMatchObject({
        first_response_breached: true,
        state: 'breached',
      });
      expect((await get(replied.id)).sla).toMatchObject({
        first_response_breached: false,
        state: 'ok',
      });
    });

    it('marks a late first response as breached when it arrives, once', async () => {
      const ticket = await open('urgent');
      at(ticket, 75); // nobody swept in between
      await reply(ticket.id, { status: 'in_progress' });
      const body = await get(ticket.id);
      expect(body.sla).toMatchObject({ first_response_breached: true, state: 'breached' });

      await sweep();
      const entries = await audit(ticket.id, 'ticket.sla.breach');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor: { type: 'system', id: null },
        changes: { first_response_breached_at: [null, plus(ticket, 75).toISOString()] },
      });
      expect(await emails(ticket.id, 'sla_breached')).toEqual(slaTeam());
    });

    it('counts resolving first as answering (the resolution notes go to the customer)', async () => {
      const ticket = await open('urgent');
      at(ticket, 30);
      await resolve(ticket.id);
      at(ticket, 100);
      await setStatus(ticket.id, 'open'); // reopened, still without a reply
      at(ticket, 200);
      await sweep();
      expect((await get(ticket.id)).sla.first_response_breached).toBe(false);
    });
  });

  // ---- the sweep -----------------------------------------------------------------------------

  describe('the sweep', () => {
    it('emails at risk and breached once each, to the assignee and every active manager', async () => {
      const ticket = await open('urgent');
      at(ticket, 50);
      await sweep();
      expect((await get(ticket.id)).sla.state).toBe('at_risk');
      await sweep();
      expect(await emails(ticket.id, 'sla_at_risk')).toEqual(slaTeam());

      at(ticket, 61);
      await sweep();
      await sweep();
      const body = await get(ticket.id);
      expect(body.sla).toMatchObject({ first_response_breached: true, state: 'breached' });
      expect(await emails(ticket.id, 'sla_breached')).toEqual(slaTeam());
      expect(await emails(ticket.id, 'sla_at_risk')).toEqual(slaTeam());
      const entries = await audit(ticket.id, 'ticket.sla.breach');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor: { type: 'system', id: null, role: 'system' },
        details: { target: 'first_response', due_at: plus(ticket, 60).toISOString() },
      });

      // Resolution has its own at-risk and breach, each once too.
      at(ticket, 241);
      await sweep();
      await sweep();
      expect((await get(ticket.id)).sla.resolution_breached).toBe(true);
      const all = await audit(ticket.id, 'ticket.sla.breach');
      expect(all.map((e: { details: { target: string } }) => e.details.target).sort()).toEqual([
        'first_response',
        'resolution',
      ]);
      // Found breached directly (no sweep between 75 % and 100 %): no at-risk email for it.
      expect(await emails(ticket.id, 'sla_at_risk')).toEqual(slaTeam());
      expect(await emails(ticket.id, 'sla_breached')).toEqual([...slaTeam(), ...slaTeam()].sort());
    });

    it('emails only the managers about an unassigned ticket', async () => {
      const ticket = await open('urgent', null);
      at(ticket, 61);
      await sweep();
      expect(await emails(ticket.id, 'sla_breached')).toEqual(managersOnly());
    });

    it('keeps the sla object and the sla= filter in agreement', async () => {
      const owner = await createStaff(t, 'support');
      const breached = await open('urgent', owner);
      at(breached, 70);
      await sweep();
      // Created with the clock 50 minutes ahead: past its at-risk instant, not its due time.
      clock.set(new Date(Date.now() + 50 * MINUTE));
      const atRisk = await open('urgent', owner);
      const ok = await open('normal', owner);
      const ids = async (sla: string) =>
        (
          await t.http
            .get(`/api/v1/admin/tickets?assignee_id=${owner.user.id}&sla=${sla}`)
            .set(agent.auth)
            .expect(200)
        ).body.items.map((item: { id: string; sla: { state: string } }) => {
          expect(item.sla.state).toBe(sla);
          return item.id;
        });
      expect(await ids('breached')).toEqual([breached.id]);
      expect(await ids('at_risk')).toEqual([atRisk.id]);
      expect(await ids('ok')).toEqual([ok.id]);
      const combined = await t.http
        .get(`/api/v1/admin/tickets?assignee_id=${owner.user.id}&priority=urgent&sla=at_risk`)
        .set(agent.auth)
        .expect(200);
      expect(combined.body.items.map((i: { id: string }) => i.id)).toEqual([atRisk.id]);
    });

    it('leaves nothing marked twice and nothing skipped after a run that fails half-way', async () => {
      const tickets = [await open('urgent'), await open('urgent'), await open('urgent')];
      const victim = tickets[1].id;
      const tracker = t.app.get(TicketSlaTracker);
      const recheck = tracker.recheck.bind(tracker);
      // The marks and events are written, then the transaction fails: all of it rolls back.
      const spy = jest.spyOn(tracker, 'recheck').mockImplementation(async (ticket) => {
        const result = await recheck(ticket);
        if (ticket.id === victim) throw new Error('worker died');
        return result;
      });
      at(tickets[2], 61);
      try {
        expect((await sweep()).failed).toBe(1);
      } finally {
        spy.mockRestore();
      }
      expect((await get(victim)).sla.state).toBe('ok'); // as it was created: nothing kept
      expect(await audit(victim, 'ticket.sla.breach')).toHaveLength(0);
      expect(await emails(victim, 'sla_breached')).toEqual([]);

      await sweep();
      for (const ticket of tickets) {
        expect((await get(ticket.id)).sla.state).toBe('breached');
        expect(await audit(ticket.id, 'ticket.sla.breach')).toHaveLength(1);
        expect(await emails(ticket.id, 'sla_breached')).toEqual(slaTeam());
      }
    });

    it('runs one at a time: a sweep that finds another running skips its tick', async () => {
      const other = new Client({ connectionString: database.url });
      await other.connect();
      try {
        await other.query('SELECT pg_advisory_lock(hashtext($1))', [SLA_SWEEP_LOCK]);
        expect(await t.app.get(SlaSweepService).run()).toBeNull();
        await other.query('SELECT pg_advisory_unlock(hashtext($1))', [SLA_SWEEP_LOCK]);
        expect(await t.app.get(SlaSweepService).run()).not.toBeNull();
      } finally {
        await other.end();
      }
    });

    it('auto-closes tickets resolved for more than AUTO_CLOSE_DAYS, once', async () => {
      const old = await open('normal');
      const recent = await open('normal');
      at(old, 10);
      await resolve(old.id);
      at(old, 2 * 24 * 60);
      await resolve(recent.id);

      at(old, 10 + 7 * 24 * 60 + 1); // old: resolved 7 days and a minute ago; recent: 5 days
      const report = await sweep();
      expect(report.autoClosed).toBeGreaterThanOrEqual(1);
      const closed = await get(old.id);
      expect(closed).toMatchObject({
        status: 'closed',
        closed_at: plus(old, 10 + 7 * 24 * 60 + 1).toISOString(),
        resolved_at: plus(old, 10).toISOString(),
      });
      expect((await get(recent.id)).status).toBe('resolved');
      await sweep();

      const entries = await audit(old.id, 'ticket.auto_close');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor: { type: 'system' },
        details: { auto_close_days: 7 },
      });
      const moves = await audit(old.id, 'ticket.status.update');
      expect(
        moves.filter((e: { details: { cause: string } }) => e.details.cause === 'auto_close'),
      ).toHaveLength(1);

      at(old, 2 * 24 * 60 + 7 * 24 * 60 + 1); // recent: resolved 7 days and a minute ago
      await sweep();
      expect((await get(recent.id)).status).toBe('closed');
    });
  });
});
