import { DataSource } from 'typeorm';
import type { Test } from 'supertest';
import {
  createCustomer,
  createStaff,
  createTestApp,
  TEST_PASSWORD,
  uniqueEmail,
  waitForMails,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';

// Issue 21 (Medium): public routes that cannot be abused. One app (passport keeps strategies
// process-wide) with every limit turned low; TRUST_PROXY trusts loopback, so each request
// names its own client IP in X-Forwarded-For and the per-IP limit counts only where a test
// means it to.
const PER_IP = 3;
const LOGIN_PER_ACCOUNT = 6;
const MAGIC_LINKS_PER_ADDRESS = 2;
const INTAKE_PER_CUSTOMER = 2;
const MAX_FILE = 1024;

describe('public routes that cannot be abused (issue 21)', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let ipSequence = 0;

  beforeAll(async () => {
    t = await createTestApp({
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_abuse`,
      TRUST_PROXY: '127.0.0.0/8,::1/128',
      PUBLIC_RATE_LIMIT_PER_MINUTE: String(PER_IP),
      LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR: String(LOGIN_PER_ACCOUNT),
      MAGIC_LINK_RATE_LIMIT_PER_ADDRESS_PER_HOUR: String(MAGIC_LINKS_PER_ADDRESS),
      INTAKE_RATE_LIMIT_PER_CUSTOMER_PER_HOUR: String(INTAKE_PER_CUSTOMER),
      TICKET_TOKEN_TTL_DAYS: '1',
      MAX_ATTACHMENT_BYTES: String(MAX_FILE),
      ATTACHMENT_QUOTA_TICKET_FILES_PER_HOUR: '3',
      ATTACHMENT_QUOTA_TOKEN_FILES_PER_HOUR: '2',
      ATTACHMENT_QUOTA_CUSTOMER_BYTES_PER_HOUR: '1500',
    });
    admin = await createStaff(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  /** A client address of its own (a fresh per-IP bucket) for one request. */
  const freshIp = () => {
    ipSequence += 1;
    return `198.18.${Math.floor(ipSequence / 250)}.${(ipSequence % 250) + 1}`;
  };
  const from = (request: Test, ip = freshIp()) => request.set('X-Forwarded-For', ip);
  const login = (email: string, password = TEST_PASSWORD) =>
    from(t.http.post('/api/v1/auth/login').send({ email, password }));
  const magicLink = (email: string) => from(t.http.post('/api/v1/auth/magic-link').send({ email }));
  const intake = (body: Record<string, unknown>, ip?: string) =>
    from(
      t.http.post('/api/v1/tickets').send({
        subject: 'Help needed',
        message: 'Something is broken.',
        ...body,
      }),
      ip,
    );
  const openTicket = async (email = uniqueEmail('requester')) => {
    const res = await intake({ name: 'Requester', email }).expect(201);
    return { id: res.body.ticket.id as string, token: res.body.access_token as string, email };
  };
  const portalGet = (id: string, token: string) =>
    t.http.get(`/api/v1/portal/tickets/${id}`).set('X-Ticket-Token', token);
  /** Fixed windows: keep a counted sequence from straddling a minute boundary. */
  const awayFromWindowEdge = async () => {
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
  };

  describe('email normalisation is one function everywhere', () => {
    it('vİctim@… does not bypass victim@…’s lockout', async () => {
      const suffix = `${Date.now().toString(36)}.${process.pid}@example.test`;
      const { user } = await createStaff(t, 'support', { email: `victim.${suffix}` });
      for (let i = 0; i < 5; i += 1) await login(user.email, 'wrong-password-123').expect(401);
      await login(user.email).expect(429);

      // PostgreSQL's lower() folds İ to i, JavaScript's to i̇: the lookup used to find the victim
      // while the lockout counted another address.
      const res = await login(`v\u0130ctim.${suffix}`);
      expect(res.status).not.toBe(200);
      expect([401, 429]).toContain(res.status);
    });

    it('compatibility forms are the same address: sign-in works and uniqueness holds', async () => {
      const local = `wide${Date.now().toString(36)}${process.pid}`;
      const email = `${local}@example.test`;
      await createStaff(t, 'support', { email });
      const fullwidth = [...local].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
      const wide = `${fullwidth.join('')}@example.test`;

      await login(wide).expect(200);
      const taken = await t.http
        .post('/api/v1/admin/users')
        .set(admin.auth)
        .send({ email: wide, name: 'Twin', role: 'support', password: TEST_PASSWORD })
        .expect(409);
      expect(taken.body.code).toBe('EMAIL_TAKEN');
    });

    it('scopes anonymous Idempotency-Keys by the normalised email', async () => {
      const email = uniqueEmail('idem');
      const key = `key-${Date.now()}`;
      const body = { name: 'Ada', email, subject: 'Once', message: 'Only once.' };
      await intake(body).set('Idempotency-Key', key).expect(201);
      // Fullwidth letters are the same address after NFKC; lower-casing alone kept them apart.
      const [local, domain] = email.split('@');
      const wide = [...local]
        .map((c) => (/[a-z]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c))
        .join('');
      const again = await intake({ ...body, email: `${wide}@${domain}` })
        .set('Idempotency-Key', key)
        .expect(409);
      expect(again.body.code).toBe('CONFLICT');
    });
  });

  describe('public rate limits apply to everyone', () => {
    it('a valid customer token does not exempt magic-link requests from the per-IP limit', async () => {
      const customer = await createCustomer(t);
      const ip = freshIp();
      await awayFromWindowEdge();
      for (let i = 0; i < PER_IP; i += 1) {
        await magicLink(uniqueEmail('target')).set(customer.auth).set('X-Forwarded-For', ip);
      }
      const limited = await magicLink(uniqueEmail('target'))
        .set(customer.auth)
        .set('X-Forwarded-For', ip)
        .expect(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
    });

    it('limits sign-ins per account, from whatever IP', async () => {
      const { user } = await createStaff(t, 'support');
      for (let i = 0; i < LOGIN_PER_ACCOUNT; i += 1) await login(user.email).expect(200);
      const limited = await login(user.email.toUpperCase()).expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('limits magic-link emails per target address, known or not (no email-bombing)', async () => {
      const customer = await createCustomer(t);
      for (const address of [customer.user.email, uniqueEmail('nobody')]) {
        for (let i = 0; i < MAGIC_LINKS_PER_ADDRESS; i += 1) await magicLink(address).expect(202);
        await magicLink(address.toUpperCase()).expect(429);
      }
      // Another address is not affected.
      await magicLink(uniqueEmail('other')).expect(202);
    });

    it('limits new tickets per customer, anonymous or signed in', async () => {
      const email = uniqueEmail('flood');
      for (let i = 0; i < INTAKE_PER_CUSTOMER; i += 1) {
        await intake({ name: 'Flood', email }).expect(201);
      }
      await intake({ name: 'Flood', email: email.toUpperCase() }).expect(429);
      const signedIn = await createCustomer(t, { email });
      await intake({}).set(signedIn.auth).expect(429);
      await intake({ name: 'Someone', email: uniqueEmail('calm') }).expect(201);
    });
  });

  describe('TRUST_PROXY', () => {
    it('the audit entry’s IP is the client address request.ip uses', async () => {
      const res = await intake(
        { name: 'Via proxy', email: uniqueEmail('proxy') },
        '203.0.113.77',
      ).expect(201);
      const entries = await t.http
        .get('/api/v1/admin/audit-logs')
        .query({ resource_id: res.body.ticket.id, action: 'ticket.create' })
        .set(admin.auth)
        .expect(200);
      expect(entries.body.items.map((entry: { ip: string }) => entry.ip)).toEqual(['203.0.113.77']);
    });
  });

  describe('anonymous intake reveals nothing about existing people', () => {
    it('echoes only what the request sent, never the stored name or phone number', async () => {
      const email = uniqueEmail('known');
      await intake({ name: 'Real Person', email, phone_number: '+1 555 0100' }).expect(201);

      const res = await intake({ name: 'Someone Else', email }).expect(201);
      expect(res.body.ticket.requester).toEqual({
        name: 'Someone Else',
        email,
        phone_number: null,
      });
      expect(res.body.ticket.agent_name).toBeNull();
      expect(res.body.ticket.messages).toEqual([
        expect.objectContaining({ sender: { id: null, name: 'Someone Else' } }),
      ]);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain('Real Person');
      expect(text).not.toContain('555 0100');
    });
  });

  describe('ticket tokens', () => {
    it('stop working once older than TICKET_TOKEN_TTL_DAYS', async () => {
      const ticket = await openTicket();
      await portalGet(ticket.id, ticket.token).expect(200);
      await t.app
        .get(DataSource)
        .query(
          `UPDATE ticket SET access_token_issued_at = now() - interval '25 hours' WHERE id = $1`,
          [ticket.id],
        );
      await portalGet(ticket.id, ticket.token).expect(401);
    });

    it('staff rotate a token: the old one stops working, the new one opens the ticket', async () => {
      const ticket = await openTicket();
      const agent = await createStaff(t, 'support');
      const res = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/access-token/rotate`)
        .set(agent.auth)
        .expect(200);
      expect(res.body.access_token).toMatch(/^tt_/);
      expect(Date.parse(res.body.expires_at)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
      await portalGet(ticket.id, ticket.token).expect(401);
      await portalGet(ticket.id, res.body.access_token).expect(200);
      const audit = await t.http
        .get('/api/v1/admin/audit-logs')
        .query({ resource_id: ticket.id, action: 'ticket.access_token.rotate' })
        .set(admin.auth)
        .expect(200);
      expect(audit.body.total).toBe(1);
      expect(JSON.stringify(audit.body)).not.toContain(res.body.access_token);
    });

    it('the customer rotates their own token with it', async () => {
      const ticket = await openTicket();
      const res = await t.http
        .post(`/api/v1/portal/tickets/${ticket.id}/access-token/rotate`)
        .set('X-Ticket-Token', ticket.token)
        .expect(200);
      await portalGet(ticket.id, ticket.token).expect(401);
      await portalGet(ticket.id, res.body.access_token).expect(200);
    });

    it('stop working when their customer is deactivated', async () => {
      const ticket = await openTicket();
      const customer = await createCustomer(t, { email: ticket.email });
      await t.http
        .patch(`/api/v1/admin/users/${customer.user.id}`)
        .set(admin.auth)
        .send({ is_active: false })
        .expect(200);
      await portalGet(ticket.id, ticket.token).expect(401);
    });

    it('the receipt links to the portal with the token in the fragment, not the query', async () => {
      const ticket = await openTicket();
      const [mail] = await waitForMails(t.config.mailDir, ticket.email);
      const link = `http://helpdesk.test/portal/tickets/${ticket.id}#token=${ticket.token}`;
      expect(mail).toContain(link);
      expect(mail).not.toContain('?token=');
    });
  });

  describe('upload quotas', () => {
    const text = (bytes: number) => Buffer.from('x'.repeat(bytes - 1) + '\n');
    const upload = (id: string, credentials: Record<string, string>, ...sizes: number[]) => {
      const request = t.http.post(`/api/v1/portal/tickets/${id}/attachments`).set(credentials);
      return sizes.reduce(
        (pending, size, i) => pending.attach('files', text(size), `file-${i}.txt`),
        request,
      );
    };

    it('caps one request’s files together at the per-file limit (413)', async () => {
      const ticket = await openTicket();
      const res = await upload(ticket.id, { 'X-Ticket-Token': ticket.token }, 700, 700).expect(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      await upload(ticket.id, { 'X-Ticket-Token': ticket.token }, 700).expect(201);
    });

    it('limits files per ticket token per hour (429)', async () => {
      const ticket = await openTicket();
      const token = { 'X-Ticket-Token': ticket.token };
      await upload(ticket.id, token, 10).expect(201);
      await upload(ticket.id, token, 10).expect(201);
      const res = await upload(ticket.id, token, 10).expect(429);
      expect(res.body.code).toBe('RATE_LIMITED');
    });

    it('limits files per ticket per hour, whoever uploads', async () => {
      const customer = await createCustomer(t);
      const ticket = await intake({}).set(customer.auth).expect(201);
      const id = ticket.body.ticket.id as string;
      await upload(id, customer.auth, 10, 10).expect(201);
      await upload(id, { 'X-Ticket-Token': ticket.body.access_token }, 10).expect(201);
      await upload(id, customer.auth, 10).expect(429);
    });

    it('limits bytes per customer per hour across their tickets', async () => {
      const customer = await createCustomer(t);
      const first = await intake({}).set(customer.auth).expect(201);
      const second = await intake({}).set(customer.auth).expect(201);
      await upload(first.body.ticket.id, customer.auth, 800).expect(201);
      await upload(second.body.ticket.id, customer.auth, 800).expect(429);
    });
  });
});
