import {
  createStaff,
  createTestApp,
  eventually,
  openPublicTicket,
  uniqueEmail,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';
import { tinyPng } from '@helpdesk/testing/sample-files';

/** Additions that let clients written against the seed's API work unchanged (issue 22). */
describe('seed compatibility', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let manager: SignedInUser;
  let admin: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    agent = await createStaff(t, 'support');
    manager = await createStaff(t, 'support_manager');
    admin = await createStaff(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  const staffView = async (id: string) =>
    (await t.http.get(`/api/v1/admin/tickets/${id}`).set(agent.auth).expect(200)).body;
  const auditOf = async (id: string, action: string) =>
    (
      await t.http
        .get(`/api/v1/admin/audit-logs?action=${action}&resource_id=${id}`)
        .set(manager.auth)
        .expect(200)
    ).body.items;

  describe('public intake without a subject', () => {
    it("takes the message's first non-blank line, trimmed, as the subject", async () => {
      const res = await t.http
        .post('/api/v1/tickets')
        .send({ name: 'A', email: uniqueEmail('nosubj'), message: '\n  Printer on fire  \nHelp' })
        .expect(201);
      expect(res.body.ticket.subject).toBe('Printer on fire');
    });

    it('cuts a long first line to 200 characters', async () => {
      const res = await t.http
        .post('/api/v1/tickets')
        .send({ name: 'A', email: uniqueEmail('nosubj'), message: 'x'.repeat(300) })
        .expect(201);
      expect(res.body.ticket.subject).toBe('x'.repeat(200));
    });

    it('still refuses an empty subject that is sent', async () => {
      await t.http
        .post('/api/v1/tickets')
        .send({ name: 'A', email: uniqueEmail('nosubj'), subject: '', message: 'm' })
        .expect(422);
    });
  });

  describe('offset and skip beside page', () => {
    it('offset wins over skip, and both over page; page reports where offset falls', async () => {
      const requester = uniqueEmail('paging');
      for (let i = 0; i < 5; i++) await openPublicTicket(t, { email: requester, subject: `p${i}` });
      const list = async (query: string) =>
        (
          await t.http
            .get(`/api/v1/admin/tickets?requester_email=${requester}&sort=number&${query}`)
            .set(agent.auth)
            .expect(200)
        ).body;
      const all = (await list('limit=5')).items.map((x: { subject: string }) => x.subject);
      expect(all).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
      const byOffset = await list('limit=2&offset=3&page=1');
      expect(byOffset.items.map((x: { subject: string }) => x.subject)).toEqual(['p3', 'p4']);
      expect(byOffset).toMatchObject({ page: 2, limit: 2, total: 5 });
      const bySkip = await list('limit=2&skip=1');
      expect(bySkip.items.map((x: { subject: string }) => x.subject)).toEqual(['p1', 'p2']);
      const both = await list('limit=2&skip=1&offset=4');
      expect(both.items.map((x: { subject: string }) => x.subject)).toEqual(['p4']);
    });

    it('works on the other lists too and refuses a negative offset', async () => {
      const users = await t.http
        .get('/api/v1/admin/users?limit=1&offset=1')
        .set(admin.auth)
        .expect(200);
      expect(users.body).toMatchObject({ page: 2, limit: 1 });
      await t.http.get('/api/v1/admin/users?offset=-1').set(admin.auth).expect(422);
      await t.http.get('/api/v1/admin/tickets?skip=x').set(agent.auth).expect(422);
    });
  });

  describe('StaffTicket counts and creator', () => {
    it('carries reply_count, attachment_count and created_by', async () => {
      const ticket = await openPublicTicket(t);
      const fresh = await staffView(ticket.id);
      expect(fresh).toMatchObject({
        reply_count: 0,
        attachment_count: 0,
        created_by: { type: 'user', id: fresh.requester.id },
      });
      await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .send({ body: 'one' })
        .expect(201);
      await t.http
        .post(`/api/v1/portal/tickets/${ticket.id}/messages`)
        .set('X-Ticket-Token', ticket.accessToken)
        .send({ body: 'two' })
        .expect(201);
      await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/attachments`)
        .set(agent.auth)
        .field('visibility', 'internal')
        .attach('files', tinyPng(), 'shot.png')
        .expect(201);
      const later = await staffView(ticket.id);
      expect(later).toMatchObject({ reply_count: 2, attachment_count: 1 });
      // The feed describes the ticket as each change left it.
      const feed = await eventually(async () => {
        const res = await t.http
          .get(
            '/api/v1/admin/events?types=ticket.replied,ticket.customer_replied,ticket.attachment_added&limit=1000',
          )
          .set(manager.auth)
          .expect(200);
        const mine = res.body.items.filter(
          (e: { data: { ticket: { id: string } } }) => e.data.ticket.id === ticket.id,
        );
        return mine.length === 3 && mine;
      });
      expect(
        feed.map((e: { data: { ticket: { reply_count: number; attachment_count: number } } }) => [
          e.data.ticket.reply_count,
          e.data.ticket.attachment_count,
        ]),
      ).toEqual([
        [1, 0],
        [2, 0],
        [2, 1],
      ]);
      const listed = await t.http
        .get(`/api/v1/admin/tickets?q=${ticket.number}`)
        .set(agent.auth)
        .expect(200);
      expect(listed.body.items.find((x: { id: string }) => x.id === ticket.id)).toMatchObject({
        reply_count: 2,
        attachment_count: 1,
        created_by: { type: 'user' },
      });
    });

    it('names the agent who opened a ticket by phone', async () => {
      const res = await t.http
        .post('/api/v1/admin/tickets')
        .set(agent.auth)
        .send({ requester_email: uniqueEmail('phone'), subject: 'Call', message: 'm' })
        .expect(201);
      expect(res.body.created_by).toEqual({ type: 'user', id: agent.user.id });
    });
  });

  describe('bulk escalate', () => {
    it('escalates each ticket as the single route does, with its audit entry', async () => {
      const a = await openPublicTicket(t);
      const b = await openPublicTicket(t);
      const res = await t.http
        .post('/api/v1/admin/tickets/bulk')
        .set(manager.auth)
        .send({
          ticket_ids: [a.id, b.id],
          action: 'escalate',
          parameters: { reason: 'Outage affecting key accounts' },
        })
        .expect(200);
      expect(res.body).toEqual({ succeeded: [a.id, b.id], failed: [] });
      expect(await staffView(a.id)).toMatchObject({ escalated: true });
      expect(await auditOf(b.id, 'ticket.escalate')).toHaveLength(1);
    });

    it('refuses bad parameters for the whole call, and agents', async () => {
      const a = await openPublicTicket(t);
      await t.http
        .post('/api/v1/admin/tickets/bulk')
        .set(manager.auth)
        .send({ ticket_ids: [a.id], action: 'escalate', parameters: {} })
        .expect(422);
      await t.http
        .post('/api/v1/admin/tickets/bulk')
        .set(agent.auth)
        .send({ ticket_ids: [a.id], action: 'escalate', parameters: { reason: 'r' } })
        .expect(403);
    });
  });

  describe('closing and reopening are audited by name', () => {
    it('writes ticket.close and ticket.reopen beside ticket.status.update', async () => {
      const ticket = await openPublicTicket(t);
      const move = (status: string, extra: Record<string, unknown> = {}) =>
        t.http
          .patch(`/api/v1/admin/tickets/${ticket.id}/status`)
          .set(manager.auth)
          .send({ status, ...extra })
          .expect(200);
      await move('resolved', { resolution_notes: 'done' });
      await move('closed');
      await move('open');
      const close = await auditOf(ticket.id, 'ticket.close');
      expect(close).toEqual([
        expect.objectContaining({ changes: { status: ['resolved', 'closed'] } }),
      ]);
      const reopen = await auditOf(ticket.id, 'ticket.reopen');
      expect(reopen).toEqual([
        expect.objectContaining({ changes: { status: ['closed', 'open'] } }),
      ]);
      expect(await auditOf(ticket.id, 'ticket.status.update')).toHaveLength(3);
      const verified = await t.http.get('/api/v1/admin/audit-logs/verify').set(admin.auth);
      expect(verified.body.valid).toBe(true);
    });
  });

  describe("a customer's organization", () => {
    it('is set by an admin on the user and shown on their tickets', async () => {
      const ticket = await openPublicTicket(t);
      const requesterId = (await staffView(ticket.id)).requester.id;
      const res = await t.http
        .patch(`/api/v1/admin/users/${requesterId}`)
        .set(admin.auth)
        .send({ organization: '  Acme Ltd ' })
        .expect(200);
      expect(res.body.organization).toBe('Acme Ltd');
      expect((await staffView(ticket.id)).requester.organization).toBe('Acme Ltd');
      const entries = await auditOf(requesterId, 'user.update');
      expect(entries[0].changes).toEqual({ organization: [null, 'Acme Ltd'] });
      await t.http
        .patch(`/api/v1/admin/users/${requesterId}`)
        .set(admin.auth)
        .send({ organization: null })
        .expect(200);
      await t.http
        .patch(`/api/v1/admin/users/${requesterId}`)
        .set(admin.auth)
        .send({ organization: 42 })
        .expect(422);
    });

    it('is taken on intake by API key, and refused from anyone else', async () => {
      const key = await t.http
        .post('/api/v1/admin/api-keys')
        .set(admin.auth)
        .send({ name: 'shop', role: 'support' })
        .expect(201);
      const email = uniqueEmail('org');
      const res = await t.http
        .post('/api/v1/tickets')
        .set('X-API-Key', key.body.key)
        .send({ name: 'B', email, subject: 's', message: 'm', organization: 'Initech' })
        .expect(201);
      expect((await staffView(res.body.ticket.id)).requester.organization).toBe('Initech');
      expect((await staffView(res.body.ticket.id)).created_by).toEqual({
        type: 'api_key',
        id: key.body.id,
      });
      const refused = await t.http
        .post('/api/v1/tickets')
        .send({ name: 'B', email, subject: 's', message: 'm', organization: 'Evil' })
        .expect(422);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'organization' })]);
    });
  });
});
