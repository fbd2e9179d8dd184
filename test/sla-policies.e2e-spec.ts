import { DomainEvents, type DomainEvent } from '@helpdesk/common';
import {
  createCustomer,
  createStaff,
  createTestApp,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';
import { SlaService } from 'src/sla/sla.service';

const DEFAULT_POLICIES = [
  {
    priority: 'urgent',
    first_response_minutes: 60,
    resolution_minutes: 240,
    business_hours: false,
  },
  {
    priority: 'high',
    first_response_minutes: 240,
    resolution_minutes: 1440,
    business_hours: false,
  },
  {
    priority: 'normal',
    first_response_minutes: 480,
    resolution_minutes: 2880,
    business_hours: false,
  },
  {
    priority: 'low',
    first_response_minutes: 1440,
    resolution_minutes: 5760,
    business_hours: false,
  },
];

const DEFAULT_BUSINESS_HOURS = {
  timezone: 'UTC',
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
  holidays: [],
};

describe('SLA policies and business hours (API.md section 10)', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let manager: SignedInUser;
  let agent: SignedInUser;
  let customer: SignedInUser;
  const recorded: DomainEvent[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createStaff(t, 'admin');
    manager = await createStaff(t, 'support_manager');
    agent = await createStaff(t, 'support');
    customer = await createCustomer(t);
    t.app.get(DomainEvents).register({
      name: 'sla-spec-recorder',
      consume: async (events) => {
        recorded.push(...events);
      },
    });
  });

  afterAll(async () => {
    // Later specs in this run (tickets, the sweep) expect the contract's defaults.
    for (const { priority, ...terms } of DEFAULT_POLICIES) {
      await t.http.put(`/api/v1/admin/sla-policies/${priority}`).set(admin.auth).send(terms);
    }
    await t.http.put('/api/v1/admin/business-hours').set(admin.auth).send(DEFAULT_BUSINESS_HOURS);
    await t.close();
  });

  describe('policies', () => {
    it('serves the defaults as a bare array, most urgent first', async () => {
      const res = await t.http.get('/api/v1/admin/sla-policies').set(agent.auth).expect(200);
      expect(Array.isArray(res.body)).toBe(true);
      expect(res.body).toEqual(DEFAULT_POLICIES.map((p) => expect.objectContaining(p)));
    });

    it('lets every staff role read, refuses customers (403) and anonymous callers (401)', async () => {
      for (const user of [agent, manager, admin]) {
        await t.http.get('/api/v1/admin/sla-policies').set(user.auth).expect(200);
      }
      const forbidden = await t.http
        .get('/api/v1/admin/sla-policies')
        .set(customer.auth)
        .expect(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
      const anonymous = await t.http.get('/api/v1/admin/sla-policies').expect(401);
      expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    });

    it('updates a policy for an admin, answers it and serves it afterwards', async () => {
      recorded.length = 0;
      const res = await t.http
        .put('/api/v1/admin/sla-policies/high')
        .set(admin.auth)
        .send({ first_response_minutes: 120, resolution_minutes: 960, business_hours: true })
        .expect(200);
      expect(res.body).toMatchObject({
        priority: 'high',
        first_response_minutes: 120,
        resolution_minutes: 960,
        business_hours: true,
      });
      expect(res.body.updated_at).toEqual(expect.any(String));
      const list = await t.http.get('/api/v1/admin/sla-policies').set(agent.auth).expect(200);
      expect(list.body.map((p: { priority: string }) => p.priority)).toEqual([
        'urgent',
        'high',
        'normal',
        'low',
      ]);
      expect(list.body[1]).toMatchObject({ first_response_minutes: 120, business_hours: true });
      expect(list.body[0]).toMatchObject(DEFAULT_POLICIES[0]);
      // One event in the request's unit of work, with the changed fields only.
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({
        type: 'sla_policy.updated',
        resourceType: 'sla_policy',
        resourceId: 'high',
        changes: {
          first_response_minutes: [240, 120],
          resolution_minutes: [1440, 960],
          business_hours: [false, true],
        },
      });
    });

    it('records nothing when a PUT changes nothing', async () => {
      const body = { first_response_minutes: 120, resolution_minutes: 960, business_hours: true };
      await t.http.put('/api/v1/admin/sla-policies/high').set(admin.auth).send(body).expect(200);
      recorded.length = 0;
      await t.http.put('/api/v1/admin/sla-policies/high').set(admin.auth).send(body).expect(200);
      expect(recorded).toEqual([]);
    });

    it('refuses writes from support and support_manager (403), customers (403), anonymous (401)', async () => {
      const body = { first_response_minutes: 1, resolution_minutes: 1, business_hours: false };
      for (const user of [agent, manager, customer]) {
        const res = await t.http
          .put('/api/v1/admin/sla-policies/urgent')
          .set(user.auth)
          .send(body)
          .expect(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      await t.http.put('/api/v1/admin/sla-policies/urgent').send(body).expect(401);
      const list = await t.http.get('/api/v1/admin/sla-policies').set(agent.auth).expect(200);
      expect(list.body[0]).toMatchObject(DEFAULT_POLICIES[0]);
    });

    it.each<[string, Record<string, unknown>, string]>([
      [
        'a missing field',
        { first_response_minutes: 60, resolution_minutes: 240 },
        'business_hours',
      ],
      [
        'a fraction',
        { first_response_minutes: 60.5, resolution_minutes: 240, business_hours: false },
        'first_response_minutes',
      ],
      [
        'a number as a string',
        { first_response_minutes: '60', resolution_minutes: 240, business_hours: false },
        'first_response_minutes',
      ],
      [
        'zero',
        { first_response_minutes: 60, resolution_minutes: 0, business_hours: false },
        'resolution_minutes',
      ],
      [
        'a negative target',
        { first_response_minutes: -5, resolution_minutes: 240, business_hours: false },
        'first_response_minutes',
      ],
      [
        'more than a year',
        { first_response_minutes: 60, resolution_minutes: 525_601, business_hours: false },
        'resolution_minutes',
      ],
      [
        'a non-boolean flag',
        { first_response_minutes: 60, resolution_minutes: 240, business_hours: 'yes' },
        'business_hours',
      ],
      [
        'first response after resolution',
        { first_response_minutes: 300, resolution_minutes: 240, business_hours: false },
        'first_response_minutes',
      ],
      [
        'an unknown field',
        { first_response_minutes: 60, resolution_minutes: 240, business_hours: false, pause: true },
        'pause',
      ],
    ])('answers 422 with field errors for %s', async (_label, body, field) => {
      const res = await t.http
        .put('/api/v1/admin/sla-policies/urgent')
        .set(admin.auth)
        .send(body)
        .expect(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('answers 422 for a path value that is not a priority', async () => {
      const res = await t.http
        .put('/api/v1/admin/sla-policies/critical')
        .set(admin.auth)
        .send({ first_response_minutes: 60, resolution_minutes: 240, business_hours: false })
        .expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'priority' })]);
    });

    it('answers 400 for a body that is not a JSON object', async () => {
      const res = await t.http
        .put('/api/v1/admin/sla-policies/urgent')
        .set(admin.auth)
        .set('content-type', 'application/json')
        .send('[1, 2]')
        .expect(400);
      expect(res.body.code).toBe('MALFORMED_REQUEST');
    });
  });

  describe('business hours', () => {
    it('serves the default: UTC, Monday to Friday 09:00–17:00, no holidays', async () => {
      const res = await t.http.get('/api/v1/admin/business-hours').set(agent.auth).expect(200);
      expect(res.body).toMatchObject(DEFAULT_BUSINESS_HOURS);
    });

    it('round-trips a calendar, ordered, with duplicate holidays dropped', async () => {
      recorded.length = 0;
      const body = {
        timezone: 'Europe/Berlin',
        weekly: [
          { day: 5, start: '09:00', end: '15:00' },
          { day: 1, start: '13:00', end: '17:30' },
          { day: 1, start: '08:30', end: '12:00' },
          { day: 6, start: '20:00', end: '24:00' },
          { day: 7, start: '00:00', end: '02:00' },
        ],
        holidays: ['2026-12-26', '2026-12-25', '2026-12-26'],
      };
      const put = await t.http
        .put('/api/v1/admin/business-hours')
        .set(admin.auth)
        .send(body)
        .expect(200);
      const expected = {
        timezone: 'Europe/Berlin',
        weekly: [
          { day: 1, start: '08:30', end: '12:00' },
          { day: 1, start: '13:00', end: '17:30' },
          { day: 5, start: '09:00', end: '15:00' },
          { day: 6, start: '20:00', end: '24:00' },
          { day: 7, start: '00:00', end: '02:00' },
        ],
        holidays: ['2026-12-25', '2026-12-26'],
      };
      expect(put.body).toMatchObject(expected);
      const get = await t.http.get('/api/v1/admin/business-hours').set(manager.auth).expect(200);
      expect(get.body).toEqual({ ...expected, updated_at: expect.any(String) });
      expect(recorded).toEqual([
        expect.objectContaining({
          type: 'business_hours.updated',
          resourceType: 'business_hours',
          resourceId: null,
          changes: {
            timezone: ['UTC', 'Europe/Berlin'],
            weekly: [DEFAULT_BUSINESS_HOURS.weekly, expected.weekly],
            holidays: [[], expected.holidays],
          },
        }),
      ]);
    });

    it('takes a missing holidays list as none', async () => {
      const res = await t.http
        .put('/api/v1/admin/business-hours')
        .set(admin.auth)
        .send({ timezone: 'America/New_York', weekly: [{ day: 2, start: '10:00', end: '18:00' }] })
        .expect(200);
      expect(res.body.holidays).toEqual([]);
    });

    it('refuses writes from everyone but admins, and reads from customers', async () => {
      for (const user of [agent, manager, customer]) {
        await t.http
          .put('/api/v1/admin/business-hours')
          .set(user.auth)
          .send(DEFAULT_BUSINESS_HOURS)
          .expect(403);
      }
      await t.http.put('/api/v1/admin/business-hours').send(DEFAULT_BUSINESS_HOURS).expect(401);
      await t.http.get('/api/v1/admin/business-hours').set(customer.auth).expect(403);
      await t.http.get('/api/v1/admin/business-hours').expect(401);
    });

    const window = { day: 1, start: '09:00', end: '17:00' };
    it.each<[string, Record<string, unknown>, string]>([
      ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
      ['an offset instead of a zone', { timezone: '+01:00' }, 'timezone'],
      ['a missing time zone', { timezone: undefined }, 'timezone'],
      ['no windows', { weekly: [] }, 'weekly'],
      ['weekly that is not a list', { weekly: 'weekdays' }, 'weekly'],
      ['day 0', { weekly: [{ ...window, day: 0 }] }, 'weekly[0].day'],
      ['day 8', { weekly: [{ ...window, day: 8 }] }, 'weekly[0].day'],
      [
        'a time without a leading zero',
        { weekly: [{ ...window, start: '9:00' }] },
        'weekly[0].start',
      ],
      ['hour 25', { weekly: [{ ...window, end: '25:00' }] }, 'weekly[0].end'],
      ['minute 60', { weekly: [{ ...window, start: '08:60' }] }, 'weekly[0].start'],
      ['start after end', { weekly: [{ ...window, start: '18:00' }] }, 'weekly[0].end'],
      ['start equal to end', { weekly: [{ ...window, start: '17:00' }] }, 'weekly[0].end'],
      [
        'overlapping windows',
        { weekly: [window, { day: 1, start: '16:00', end: '18:00' }] },
        'weekly[1]',
      ],
      ['an unknown window field', { weekly: [{ ...window, label: 'x' }] }, 'weekly[0].label'],
      ['a date that does not exist', { holidays: ['2026-02-30'] }, 'holidays[0]'],
      ['a date in another format', { holidays: ['25.12.2026'] }, 'holidays'],
      ['an unknown field', { region: 'EU' }, 'region'],
    ])('answers 422 with field errors for %s', async (_label, overrides, field) => {
      const res = await t.http
        .put('/api/v1/admin/business-hours')
        .set(admin.auth)
        .send({ ...DEFAULT_BUSINESS_HOURS, ...overrides })
        .expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });
  });

  describe('SlaService (what the tickets module calls)', () => {
    it('computes due times with settings changed over HTTP right away', async () => {
      const sla = t.app.get(SlaService);
      const created = new Date('2026-11-20T15:00:00Z'); // Friday 16:00 in Berlin
      await t.http
        .put('/api/v1/admin/business-hours')
        .set(admin.auth)
        .send({ ...DEFAULT_BUSINESS_HOURS, timezone: 'Europe/Berlin' })
        .expect(200);
      await t.http
        .put('/api/v1/admin/sla-policies/urgent')
        .set(admin.auth)
        .send({ first_response_minutes: 60, resolution_minutes: 240, business_hours: false })
        .expect(200);
      const around = await sla.dueTimesFor('urgent', created);
      expect(around.firstResponseDueAt.toISOString()).toBe('2026-11-20T16:00:00.000Z');
      await t.http
        .put('/api/v1/admin/sla-policies/urgent')
        .set(admin.auth)
        .send({ first_response_minutes: 120, resolution_minutes: 240, business_hours: true })
        .expect(200);
      const business = await sla.dueTimesFor('urgent', created);
      // One business hour left on Friday (16:00–17:00 Berlin), one more from Monday 09:00.
      expect(business.firstResponseDueAt.toISOString()).toBe('2026-11-23T09:00:00.000Z');
      expect(business.firstResponseAtRiskAt.toISOString()).toBe('2026-11-23T08:30:00.000Z');
      expect(business.resolutionDueAt.toISOString()).toBe('2026-11-23T11:00:00.000Z');
      const weekend = await sla.pausedTimeBetween(
        new Date('2026-11-20T16:00:00Z'),
        new Date('2026-11-23T08:00:00Z'),
      );
      expect(weekend).toEqual({ calendarMinutes: 3840, businessMinutes: 0 });
    });
  });
});
