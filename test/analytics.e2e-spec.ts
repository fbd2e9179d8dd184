import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AnalyticsRepository } from 'src/analytics/analytics.repository';
import {
  createCustomer,
  createStaff,
  createTestApp,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';

/**
 * A hand-computed fixture in March 2020, a window no other test writes to. The expected figures
 * are worked out in the comments next to each ticket (times UTC).
 */
describe('analytics /api/v1/admin/analytics (API.md section 11)', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let manager: SignedInUser;
  let admin: SignedInUser;
  let alex: SignedInUser; // assignee A
  let blair: SignedInUser; // assignee B
  const ids: Record<string, string> = {};

  const from = '2020-03-01T00:00:00.000Z';
  const to = '2020-03-08T00:00:00.000Z';

  async function insertTicket(
    label: string,
    row: {
      status: string;
      priority: string;
      channel: string;
      category?: string | null;
      assignee?: SignedInUser;
      created: string;
      firstResponded?: string;
      resolved?: string;
      closed?: string;
      firstResponseBreached?: boolean;
      resolutionBreached?: boolean;
      deleted?: boolean;
    },
    requesterId: string,
  ) {
    const id = randomUUID();
    ids[label] = id;
    await t.app.get(DataSource).query(
      `INSERT INTO ticket (id, subject, status, priority, category, channel, requester_id,
         assignee_id, created_at, updated_at, first_responded_at, resolved_at, closed_at,
         first_response_breached_at, resolution_breached_at, deleted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12,
         CASE WHEN $13 THEN $9::timestamptz + interval '1 hour' END,
         CASE WHEN $14 THEN $9::timestamptz + interval '2 hours' END,
         CASE WHEN $15 THEN now() END)`,
      [
        id,
        `Analytics fixture ${label}`,
        row.status,
        row.priority,
        row.category ?? null,
        row.channel,
        requesterId,
        row.assignee?.user.id ?? null,
        row.created,
        row.firstResponded ?? null,
        row.resolved ?? null,
        row.closed ?? null,
        row.firstResponseBreached ?? false,
        row.resolutionBreached ?? false,
        row.deleted ?? false,
      ],
    );
  }

  async function insertRating(label: string, score: number, ratedAt: string) {
    await t.app
      .get(DataSource)
      .query(
        `INSERT INTO ticket_rating (id, ticket_id, score, source, rated_at) VALUES ($1, $2, $3, 'portal', $4)`,
        [randomUUID(), ids[label], score, ratedAt],
      );
  }

  beforeAll(async () => {
    t = await createTestApp();
    agent = await createStaff(t, 'support');
    manager = await createStaff(t, 'support_manager');
    admin = await createStaff(t, 'admin');
    alex = await createStaff(t, 'support', { name: 'Alex Analytics' });
    blair = await createStaff(t, 'support', { name: 'Blair Analytics' });
    const requester = (await createCustomer(t)).user.id;

    // first response 30⅓ min (10:30:20), resolution 120 min
    await insertTicket(
      'T1',
      {
        status: 'resolved',
        priority: 'high',
        channel: 'web',
        category: 'billing',
        assignee: alex,
        created: '2020-03-01T10:00:00Z',
        firstResponded: '2020-03-01T10:30:20Z',
        resolved: '2020-03-01T12:00:00Z',
      },
      requester,
    );
    // first response 60 min, resolution 1440 min, closed in the window, first response breached
    await insertTicket(
      'T2',
      {
        status: 'closed',
        priority: 'normal',
        channel: 'email',
        assignee: alex,
        created: '2020-03-02T09:00:00Z',
        firstResponded: '2020-03-02T10:00:00Z',
        resolved: '2020-03-03T09:00:00Z',
        closed: '2020-03-05T09:00:00Z',
        firstResponseBreached: true,
      },
      requester,
    );
    // first response 10 min, still waiting on the customer
    await insertTicket(
      'T3',
      {
        status: 'waiting_customer',
        priority: 'urgent',
        channel: 'web',
        category: 'billing',
        assignee: blair,
        created: '2020-03-03T08:00:00Z',
        firstResponded: '2020-03-03T08:10:00Z',
      },
      requester,
    );
    // no first response yet, resolution breached, unassigned
    await insertTicket(
      'T4',
      {
        status: 'open',
        priority: 'low',
        channel: 'phone',
        created: '2020-03-04T12:00:00Z',
        resolutionBreached: true,
      },
      requester,
    );
    // created before the window; first response (720 min) and resolution (2880 min) inside it
    await insertTicket(
      'T5',
      {
        status: 'resolved',
        priority: 'normal',
        channel: 'web',
        category: 'account',
        assignee: blair,
        created: '2020-02-29T12:00:00Z',
        firstResponded: '2020-03-01T00:00:00Z',
        resolved: '2020-03-02T12:00:00Z',
      },
      requester,
    );
    // created in the window, first response after it
    await insertTicket(
      'T6',
      {
        status: 'in_progress',
        priority: 'normal',
        channel: 'chat',
        category: 'account',
        created: '2020-03-06T23:30:00Z',
        firstResponded: '2020-03-08T01:00:00Z',
      },
      requester,
    );
    // deleted: counts nowhere, nor does its rating
    await insertTicket(
      'T7',
      {
        status: 'resolved',
        priority: 'high',
        channel: 'web',
        assignee: alex,
        created: '2020-03-07T23:59:59Z',
        firstResponded: '2020-03-07T23:59:59Z',
        resolved: '2020-03-07T23:59:59Z',
        deleted: true,
      },
      requester,
    );
    // exactly at `to`: outside [from, to)
    await insertTicket(
      'T8',
      { status: 'open', priority: 'high', channel: 'web', created: '2020-03-08T00:00:00Z' },
      requester,
    );

    await insertRating('T1', 5, '2020-03-02T00:00:00Z');
    await insertRating('T2', 2, '2020-03-06T00:00:00Z');
    await insertRating('T5', 4, '2020-02-29T23:00:00Z'); // before the window
    await insertRating('T7', 1, '2020-03-03T00:00:00Z'); // deleted ticket
  });

  afterAll(async () => {
    await t.close();
  });

  const summary = (query: string, who: SignedInUser = manager) =>
    t.http.get(`/api/v1/admin/analytics/summary?${query}`).set(who.auth);
  const trend = (query: string, who: SignedInUser = manager) =>
    t.http.get(`/api/v1/admin/analytics/trend?${query}`).set(who.auth);

  describe('GET /summary', () => {
    it('matches the hand-computed figures of the fixture', async () => {
      const res = await summary(`from=${from}&to=${to}`).expect(200);
      expect(res.body).toEqual({
        from,
        to,
        total_tickets: 5, // T1, T2, T3, T4, T6
        new_tickets: 1, // T4 (T6 got its first response after the window: not new)
        open_tickets: 3, // T3, T4, T6
        resolved_tickets: 3, // T1, T2, T5 (by resolved_at)
        closed_tickets: 1, // T2
        average_first_response_minutes: 205.1, // (30.333 + 60 + 10 + 720) / 4 = 205.083
        median_first_response_minutes: 45.2, // (30.333 + 60) / 2 = 45.167
        average_resolution_minutes: 1480, // (120 + 1440 + 2880) / 3
        sla_breach_rate: 0.4, // T2, T4 of 5
        csat_average: 3.5, // T1 5, T2 2
        csat_responses: 2,
        by_status: {
          open: 1,
          in_progress: 1,
          pending: 0,
          waiting_customer: 1,
          resolved: 1,
          closed: 1,
        },
        by_priority: { low: 1, normal: 2, high: 1, urgent: 1 },
        by_category: { billing: 2, none: 2, account: 1 },
        by_channel: { web: 2, email: 1, phone: 1, api: 0, chat: 1 },
        top_assignees: [
          {
            assignee_id: alex.user.id,
            name: 'Alex Analytics',
            handled: 2,
            average_resolution_minutes: 780,
          },
          {
            assignee_id: blair.user.id,
            name: 'Blair Analytics',
            handled: 1,
            average_resolution_minutes: 2880,
          },
        ],
      });
      const sum = (counts: Record<string, number>) =>
        Object.values(counts).reduce((a, b) => a + b, 0);
      for (const key of ['by_status', 'by_priority', 'by_category', 'by_channel'])
        expect(sum(res.body[key])).toBe(res.body.total_tickets);
    });

    it('answers nulls and zeros for an empty window', async () => {
      const res = await summary('from=2001-01-01T00:00:00Z&to=2001-02-01T00:00:00Z').expect(200);
      expect(res.body).toMatchObject({
        total_tickets: 0,
        resolved_tickets: 0,
        average_first_response_minutes: null,
        median_first_response_minutes: null,
        average_resolution_minutes: null,
        sla_breach_rate: null,
        csat_average: null,
        csat_responses: 0,
        by_category: {},
        top_assignees: [],
      });
      expect(res.body.by_status.open).toBe(0);
    });

    it('defaults to the last 30 days', async () => {
      const res = await summary('').expect(200);
      const span = new Date(res.body.to).getTime() - new Date(res.body.from).getTime();
      expect(span).toBe(30 * 86_400_000);
      expect(Math.abs(new Date(res.body.to).getTime() - Date.now())).toBeLessThan(60_000);
    });

    it.each([
      ['from after to', `from=${to}&to=${from}`],
      ['from equal to to', `from=${from}&to=${from}`],
      ['a bad date', 'from=yesterday'],
      ['an unknown parameter', 'from=2020-01-01T00:00:00Z&group=team'],
    ])('answers 422 for %s', async (_, query) => {
      const res = await summary(query).expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('is for support_manager and above', async () => {
      await summary('', agent).expect(403);
      await summary('', admin).expect(200);
      await t.http.get('/api/v1/admin/analytics/summary').expect(401);
    });
  });

  describe('GET /trend', () => {
    const points = async (query: string) => {
      const res = await trend(query).expect(200);
      return res.body.points.map((p: { period_start: string; value: number | null }) => [
        p.period_start.slice(0, 10),
        p.value,
      ]);
    };

    it('counts tickets created per day, with empty days as 0', async () => {
      const res = await trend(`from=${from}&to=${to}&interval=day&metric=created`).expect(200);
      expect(res.body).toMatchObject({
        interval: 'day',
        metric: 'created',
        timezone: 'UTC',
        from,
        to,
      });
      expect(res.body.points[0]).toEqual({ period_start: from, value: 1 });
      expect(await points(`from=${from}&to=${to}&interval=day&metric=created`)).toEqual([
        ['2020-03-01', 1],
        ['2020-03-02', 1],
        ['2020-03-03', 1],
        ['2020-03-04', 1],
        ['2020-03-05', 0],
        ['2020-03-06', 1],
        ['2020-03-07', 0], // T7 is deleted
      ]);
    });

    it('counts resolutions per day by resolved_at', async () => {
      expect(await points(`from=${from}&to=${to}&interval=day&metric=resolved`)).toEqual([
        ['2020-03-01', 1],
        ['2020-03-02', 1],
        ['2020-03-03', 1],
        ['2020-03-04', 0],
        ['2020-03-05', 0],
        ['2020-03-06', 0],
        ['2020-03-07', 0],
      ]);
    });

    it('averages first response minutes per day of the first response, null when none', async () => {
      expect(await points(`from=${from}&to=${to}&metric=first_response_minutes`)).toEqual([
        ['2020-03-01', 375.2], // T1 30.333 and T5 720
        ['2020-03-02', 60],
        ['2020-03-03', 10],
        ['2020-03-04', null],
        ['2020-03-05', null],
        ['2020-03-06', null],
        ['2020-03-07', null],
      ]);
    });

    it('uses Monday weeks and calendar months', async () => {
      // 2020-03-01 is a Sunday: its week starts on Monday 2020-02-24.
      expect(await points(`from=${from}&to=${to}&interval=week&metric=resolution_minutes`)).toEqual(
        [
          ['2020-02-24', 120], // T1
          ['2020-03-02', 2160], // T5 2880, T2 1440
        ],
      );
      expect(await points(`from=${from}&to=${to}&interval=month&metric=created`)).toEqual([
        ['2020-03-01', 5],
      ]);
    });

    it('puts periods at local midnights of the reporting timezone, across a DST change', async () => {
      // New York: EST (UTC−5) until 2020-03-08 02:00, then EDT (UTC−4).
      const rows = await t.app
        .get(AnalyticsRepository)
        .trend(
          { from: new Date('2020-03-01T05:00:00Z'), to: new Date('2020-03-09T04:00:00Z') },
          'day',
          'created',
          'America/New_York',
        );
      expect(rows.map((r) => [r.period_start.toISOString(), r.value])).toEqual([
        ['2020-03-01T05:00:00.000Z', 1],
        ['2020-03-02T05:00:00.000Z', 1], // T2 at 04:00 local
        ['2020-03-03T05:00:00.000Z', 1],
        ['2020-03-04T05:00:00.000Z', 1],
        ['2020-03-05T05:00:00.000Z', 0],
        ['2020-03-06T05:00:00.000Z', 1], // T6 at 18:30 local
        ['2020-03-07T05:00:00.000Z', 1], // T8 at 19:00 local on the 7th
        ['2020-03-08T05:00:00.000Z', 0], // a 23-hour day
      ]);
    });

    it('reports in the business-hours timezone when one is set (API.md section 10)', async () => {
      const hours = (timezone: string) => ({
        timezone,
        weekly: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
        holidays: [],
      });
      await t.http
        .put('/api/v1/admin/business-hours')
        .set(admin.auth)
        .send(hours('America/New_York'))
        .expect(200);
      try {
        const res = await trend(
          'from=2020-03-01T05:00:00Z&to=2020-03-03T05:00:00Z&interval=day&metric=created',
        ).expect(200);
        expect(res.body.timezone).toBe('America/New_York');
        expect(res.body.points).toEqual([
          { period_start: '2020-03-01T05:00:00.000Z', value: 1 },
          { period_start: '2020-03-02T05:00:00.000Z', value: 1 },
        ]);
      } finally {
        await t.http
          .put('/api/v1/admin/business-hours')
          .set(admin.auth)
          .send(hours('UTC'))
          .expect(200);
      }
    });

    it.each([
      ['an unknown interval', 'interval=year'],
      ['an unknown metric', 'metric=csat'],
      ['from after to', `from=${to}&to=${from}`],
      [
        'more than 3 years of days',
        'from=2016-01-01T00:00:00Z&to=2020-01-01T00:00:00Z&interval=day',
      ],
      [
        'more than 10 years of weeks',
        'from=2000-01-01T00:00:00Z&to=2020-01-01T00:00:00Z&interval=week',
      ],
    ])('answers 422 for %s', async (_, query) => {
      const res = await trend(query).expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('accepts 3 years of days and defaults to created per day over 30 days', async () => {
      await trend('from=2017-01-01T00:00:00Z&to=2020-01-01T00:00:00Z&interval=day').expect(200);
      const res = await trend('').expect(200);
      expect(res.body).toMatchObject({ interval: 'day', metric: 'created' });
      expect(res.body.points.length).toBeGreaterThanOrEqual(30);
      expect(res.body.points.length).toBeLessThanOrEqual(31);
    });

    it('is for support_manager and above', async () => {
      await trend('', agent).expect(403);
    });
  });
});
