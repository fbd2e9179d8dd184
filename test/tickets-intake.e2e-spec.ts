import { DataSource } from 'typeorm';
import {
  allKeys,
  createCustomer,
  createStaff,
  createTestApp,
  CUSTOMER_TICKET_FIELDS,
  INTERNAL_KEYS,
  openPublicTicket,
  uniqueEmail,
  type TestApp,
} from '@helpdesk/testing';

describe('public intake POST /api/v1/tickets (API.md section 5)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const intake = () => t.http.post('/api/v1/tickets');
  const valid = (overrides: Record<string, unknown> = {}) => ({
    name: 'Ada Lovelace',
    email: uniqueEmail('ada'),
    subject: 'Cannot sign in',
    message: 'The app says my password is wrong.',
    ...overrides,
  });

  it('creates a ticket without auth and returns the customer view and a one-ticket token', async () => {
    const body = valid({
      phone_number: '+44 20 7946 0000',
      category: 'account',
      custom_fields: { order_id: 'A-1', vip: true },
    });
    const res = await intake().send(body).expect(201);
    const ticket = res.body.ticket;
    expect(ticket).toMatchObject({
      subject: 'Cannot sign in',
      status: 'open',
      priority: 'normal',
      category: 'account',
      channel: 'web',
      requester: { name: 'Ada Lovelace', email: body.email, phone_number: '+44 20 7946 0000' },
      resolution_notes: null,
      resolved_at: null,
      closed_at: null,
    });
    expect(ticket.number).toEqual(expect.any(Number));
    expect(ticket.messages).toHaveLength(1);
    expect(ticket.messages[0]).toMatchObject({ sender_type: 'customer', body: body.message });
    expect(res.body.access_token).toMatch(/^tt_/);
    for (const key of Object.keys(ticket)) expect(CUSTOMER_TICKET_FIELDS).toContain(key);
    for (const key of INTERNAL_KEYS) expect(allKeys(res.body).has(key)).toBe(false);
  });

  it('finds the customer by email case-insensitively instead of creating a second one', async () => {
    const email = uniqueEmail('case');
    await intake().send(valid({ email })).expect(201);
    await intake()
      .send(valid({ email: email.toUpperCase(), name: 'Other Name' }))
      .expect(201);
    const rows: Array<{ n: string }> = await t.app
      .get(DataSource)
      .query('SELECT count(*) AS n FROM app_user WHERE lower(email) = lower($1)', [email]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('stores only a hash of the access token, which opens that one ticket', async () => {
    const first = await openPublicTicket(t);
    const second = await openPublicTicket(t);
    const rows: Array<Record<string, unknown>> = await t.app
      .get(DataSource)
      .query('SELECT * FROM ticket WHERE id = $1', [first.id]);
    expect(JSON.stringify(rows)).not.toContain(first.accessToken);
    const own = await t.http
      .get(`/api/v1/portal/tickets/${first.id}`)
      .set('X-Ticket-Token', first.accessToken)
      .expect(200);
    expect(own.body.id).toBe(first.id);
    await t.http
      .get(`/api/v1/portal/tickets/${second.id}`)
      .set('X-Ticket-Token', first.accessToken)
      .expect(404);
    await t.http.get('/api/v1/portal/tickets').set('X-Ticket-Token', first.accessToken).expect(401);
    await t.http.get('/api/v1/admin/tickets').set('X-Ticket-Token', first.accessToken).expect(401);
    await t.http
      .get(`/api/v1/portal/tickets/${first.id}`)
      .set('X-Ticket-Token', 'tt_forged')
      .expect(401);
  });

  it.each([
    ['no name', { name: undefined }, 'name'],
    ['no email', { email: undefined }, 'email'],
    ['a bad email', { email: 'not-an-email' }, 'email'],
    ['an empty subject', { subject: '' }, 'subject'],
    ['a 201-char subject', { subject: 'x'.repeat(201) }, 'subject'],
    ['no message', { message: undefined }, 'message'],
    ['a 10001-char message', { message: 'x'.repeat(10001) }, 'message'],
    ['a bad priority', { priority: 'critical' }, 'priority'],
    ['nested custom fields', { custom_fields: { a: { b: 1 } } }, 'custom_fields'],
    ['custom fields as an array', { custom_fields: [1] }, 'custom_fields'],
    ['an unknown field', { status: 'closed' }, 'status'],
    ['external_user_id without an API key', { external_user_id: 'u-1' }, 'external_user_id'],
    ['a NUL in the subject', { subject: 'a\u0000b' }, 'subject'],
    ['a lone surrogate in the email (validator.js throws on it)', { email: '\ud800' }, 'body'],
  ])('answers 422 VALIDATION_FAILED for %s', async (_label, overrides, field) => {
    const res = await intake().send(valid(overrides)).expect(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('accepts the boundary lengths', async () => {
    await intake()
      .send(valid({ subject: 's'.repeat(200), message: 'm'.repeat(10000) }))
      .expect(201);
  });

  it('with a customer token takes name and email from the account', async () => {
    const customer = await createCustomer(t, { name: 'Portal User' });
    const res = await intake()
      .set(customer.auth)
      .send({ subject: 'From the portal', message: 'Hello' })
      .expect(201);
    expect(res.body.ticket.requester).toMatchObject({
      name: 'Portal User',
      email: customer.user.email,
    });
    const mine = await t.http.get('/api/v1/portal/tickets').set(customer.auth).expect(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(res.body.ticket.id);
  });

  it('with an API key marks the channel api and stores the external user id', async () => {
    const admin = await createStaff(t, 'admin');
    const key = (
      await t.http
        .post('/api/v1/admin/api-keys')
        .set(admin.auth)
        .send({ name: 'Shop', role: 'support' })
        .expect(201)
    ).body.key;
    const email = uniqueEmail('shop');
    const res = await intake()
      .set('X-API-Key', key)
      .send(valid({ email, external_user_id: 'shop-42' }))
      .expect(201);
    expect(res.body.ticket.channel).toBe('api');
    const rows: Array<{ external_id: string }> = await t.app
      .get(DataSource)
      .query('SELECT external_id FROM app_user WHERE lower(email) = lower($1)', [email]);
    expect(rows[0].external_id).toBe('shop-42');
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for the same caller, key and body and creates nothing new', async () => {
      const body = valid();
      const first = await intake().set('Idempotency-Key', 'intake-1').send(body).expect(201);
      const again = await intake().set('Idempotency-Key', 'intake-1').send(body).expect(201);
      expect(again.body).toEqual(first.body);
      const rows: Array<{ n: string }> = await t.app
        .get(DataSource)
        .query(
          'SELECT count(*) AS n FROM ticket t JOIN app_user u ON u.id = t.requester_id WHERE lower(u.email) = lower($1)',
          [body.email],
        );
      expect(Number(rows[0].n)).toBe(1);
    });

    it('answers 409 CONFLICT for the same key with a different body', async () => {
      const body = valid();
      await intake().set('Idempotency-Key', 'intake-2').send(body).expect(201);
      const res = await intake()
        .set('Idempotency-Key', 'intake-2')
        .send({ ...body, subject: 'Different' })
        .expect(409);
      expect(res.body.code).toBe('CONFLICT');
    });

    it('scopes keys to the caller (anonymous intake: the requester email)', async () => {
      await intake().set('Idempotency-Key', 'shared-key').send(valid()).expect(201);
      const other = await intake().set('Idempotency-Key', 'shared-key').send(valid()).expect(201);
      expect(other.headers['idempotent-replayed']).toBeUndefined();
    });

    it('lets exactly one of two concurrent requests with one key create', async () => {
      const body = valid();
      const results = await Promise.all(
        Array.from({ length: 5 }, () => intake().set('Idempotency-Key', 'race-1').send(body)),
      );
      for (const res of results) expect([201, 409]).toContain(res.status);
      const created = results.filter((r) => r.status === 201);
      expect(new Set(created.map((r) => r.body.ticket.id)).size).toBe(1);
      const rows: Array<{ n: string }> = await t.app
        .get(DataSource)
        .query(
          'SELECT count(*) AS n FROM ticket t JOIN app_user u ON u.id = t.requester_id WHERE lower(u.email) = lower($1)',
          [body.email],
        );
      expect(Number(rows[0].n)).toBe(1);
    });

    it('answers 422 for an over-long key', async () => {
      await intake().set('Idempotency-Key', 'k'.repeat(256)).send(valid()).expect(422);
    });
  });

  it('gives 50 concurrent creates 50 distinct numbers', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => intake().send(valid())));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(results.map((r) => r.body.ticket.number)).size).toBe(50);
  });

  it('records the first message with the ticket in one transaction', async () => {
    const ticket = await openPublicTicket(t, { message: 'first words' });
    const rows: Array<{ body: string; sender_type: string }> = await t.app
      .get(DataSource)
      .query('SELECT body, sender_type FROM ticket_message WHERE ticket_id = $1', [ticket.id]);
    expect(rows).toEqual([{ body: 'first words', sender_type: 'customer' }]);
  });
});
