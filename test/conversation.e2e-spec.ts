import { DataSource } from 'typeorm';
import {
  createCustomer,
  createStaff,
  createTestApp,
  openPublicTicket,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';

describe('conversation: replies, customer messages, notes, assignments (API.md sections 5–6)', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let otherAgent: SignedInUser;
  let manager: SignedInUser;
  let admin: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    agent = await createStaff(t, 'support', { name: 'Agent Smith' });
    otherAgent = await createStaff(t, 'support');
    manager = await createStaff(t, 'support_manager');
    admin = await createStaff(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  const reply = (id: string, body: Record<string, unknown>, who: SignedInUser = agent) =>
    t.http.post(`/api/v1/admin/tickets/${id}/replies`).set(who.auth).send(body);
  const status = async (id: string) =>
    (await t.http.get(`/api/v1/admin/tickets/${id}`).set(agent.auth).expect(200)).body;
  const setStatus = (
    id: string,
    to: string,
    who: SignedInUser = manager,
    extra: Record<string, unknown> = {},
  ) =>
    t.http
      .patch(`/api/v1/admin/tickets/${id}/status`)
      .set(who.auth)
      .send({ status: to, ...extra })
      .expect(200);

  describe('agent replies', () => {
    it('creates a customer-visible agent message, sets first_responded_at once, moves to waiting_customer', async () => {
      const ticket = await openPublicTicket(t);
      const res = await reply(ticket.id, { body: 'We are on it.' }).expect(201);
      expect(res.body).toMatchObject({
        ticket_id: ticket.id,
        sender_type: 'agent',
        sender: { id: agent.user.id, name: 'Agent Smith' },
        body: 'We are on it.',
        attachments: [],
      });
      const after = await status(ticket.id);
      expect(after.status).toBe('waiting_customer');
      const firstResponse = after.first_responded_at;
      expect(firstResponse).toEqual(expect.any(String));
      await reply(ticket.id, { body: 'Any news?' }).expect(201);
      const later = await status(ticket.id);
      expect(later.first_responded_at).toBe(firstResponse);
      expect(later.status).toBe('waiting_customer');
    });

    it.each(['open', 'in_progress', 'pending'])('moves %s to waiting_customer', async (from) => {
      const ticket = await openPublicTicket(t);
      if (from !== 'open') await setStatus(ticket.id, from);
      await reply(ticket.id, { body: 'reply' }).expect(201);
      expect((await status(ticket.id)).status).toBe('waiting_customer');
    });

    it('keeps a resolved ticket resolved', async () => {
      const ticket = await openPublicTicket(t);
      await setStatus(ticket.id, 'resolved', agent, { resolution_notes: 'done' });
      await reply(ticket.id, { body: 'One more thing' }).expect(201);
      expect((await status(ticket.id)).status).toBe('resolved');
    });

    it('moves to the requested status, using the reply as resolution notes when resolving', async () => {
      const ticket = await openPublicTicket(t);
      await reply(ticket.id, { body: 'Fixed: clear your cache.', status: 'resolved' }).expect(201);
      const after = await status(ticket.id);
      expect(after).toMatchObject({
        status: 'resolved',
        resolution_notes: 'Fixed: clear your cache.',
      });
      const illegal = await reply(ticket.id, { body: 'x', status: 'pending' }).expect(409);
      expect(illegal.body.code).toBe('INVALID_STATUS_TRANSITION');
      // The refused reply left no message behind.
      const messages = await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}/messages`)
        .set(agent.auth)
        .expect(200);
      expect(messages.body.items.map((m: { body: string }) => m.body)).not.toContain('x');
    });

    it('answers 409 TICKET_CLOSED on a closed ticket', async () => {
      const ticket = await openPublicTicket(t);
      await setStatus(ticket.id, 'resolved', agent, { resolution_notes: 'done' });
      await setStatus(ticket.id, 'closed');
      const res = await reply(ticket.id, { body: 'hello?' }).expect(409);
      expect(res.body.code).toBe('TICKET_CLOSED');
    });

    it('validates the body and supports Idempotency-Key', async () => {
      const ticket = await openPublicTicket(t);
      await reply(ticket.id, { body: '' }).expect(422);
      await reply(ticket.id, { body: 'x'.repeat(10001) }).expect(422);
      await reply(ticket.id, { body: 'ok', extra: 1 }).expect(422);
      const first = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .set('Idempotency-Key', 'r-1')
        .send({ body: 'once' })
        .expect(201);
      const again = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .set('Idempotency-Key', 'r-1')
        .send({ body: 'once' })
        .expect(201);
      expect(again.body.id).toBe(first.body.id);
      await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .set('Idempotency-Key', 'r-1')
        .send({ body: 'twice' })
        .expect(409);
      const messages = await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}/messages`)
        .set(agent.auth)
        .expect(200);
      expect(messages.body.items.filter((m: { body: string }) => m.body === 'once')).toHaveLength(
        1,
      );
    });

    it('answers 404 for an unknown ticket and 403 for customers', async () => {
      await reply('019a0000-0000-7000-8000-000000000000', { body: 'x' }).expect(404);
      const ticket = await openPublicTicket(t);
      const customer = await createCustomer(t);
      await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(customer.auth)
        .send({ body: 'x' })
        .expect(403);
    });

    it('lists messages oldest first with pagination', async () => {
      const ticket = await openPublicTicket(t, { message: 'm0' });
      for (const body of ['m1', 'm2', 'm3']) await reply(ticket.id, { body }).expect(201);
      const page1 = await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}/messages?limit=3`)
        .set(agent.auth)
        .expect(200);
      expect(page1.body).toMatchObject({ total: 4, page: 1, limit: 3, total_pages: 2 });
      expect(page1.body.items.map((m: { body: string }) => m.body)).toEqual(['m0', 'm1', 'm2']);
      const page2 = await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}/messages?limit=3&page=2`)
        .set(agent.auth)
        .expect(200);
      expect(page2.body.items.map((m: { body: string }) => m.body)).toEqual(['m3']);
    });
  });

  describe('customer messages', () => {
    const post = (id: string, headers: Record<string, string>, body: Record<string, unknown>) =>
      t.http.post(`/api/v1/portal/tickets/${id}/messages`).set(headers).send(body);

    it.each(['waiting_customer', 'pending', 'resolved'])('moves %s back to open', async (from) => {
      const ticket = await openPublicTicket(t);
      if (from === 'resolved')
        await setStatus(ticket.id, 'resolved', agent, { resolution_notes: 'done' });
      else await setStatus(ticket.id, from);
      const res = await post(
        ticket.id,
        { 'X-Ticket-Token': ticket.accessToken },
        { body: 'still broken' },
      ).expect(201);
      expect(res.body).toMatchObject({ sender_type: 'customer', body: 'still broken' });
      expect((await status(ticket.id)).status).toBe('open');
    });

    it('leaves in_progress alone', async () => {
      const ticket = await openPublicTicket(t);
      await setStatus(ticket.id, 'in_progress');
      await post(ticket.id, { 'X-Ticket-Token': ticket.accessToken }, { body: 'fyi' }).expect(201);
      expect((await status(ticket.id)).status).toBe('in_progress');
    });

    it('works with a customer bearer token and answers 404 on another customer’s ticket', async () => {
      const alice = await createCustomer(t);
      const bob = await createCustomer(t);
      const created = await t.http
        .post('/api/v1/tickets')
        .set(alice.auth)
        .send({ subject: 's', message: 'm' })
        .expect(201);
      await post(created.body.ticket.id, alice.auth, { body: 'mine' }).expect(201);
      await post(created.body.ticket.id, bob.auth, { body: 'not mine' }).expect(404);
      const other = await openPublicTicket(t);
      await post(
        other.id,
        { 'X-Ticket-Token': created.body.access_token },
        { body: 'wrong token' },
      ).expect(404);
    });

    it('answers 409 TICKET_CLOSED on a closed ticket', async () => {
      const ticket = await openPublicTicket(t);
      await setStatus(ticket.id, 'resolved', agent, { resolution_notes: 'done' });
      await setStatus(ticket.id, 'closed');
      const res = await post(
        ticket.id,
        { 'X-Ticket-Token': ticket.accessToken },
        { body: 'reopen please' },
      ).expect(409);
      expect(res.body.code).toBe('TICKET_CLOSED');
    });

    it('hides agent identities from customers', async () => {
      const ticket = await openPublicTicket(t);
      await reply(ticket.id, { body: 'from the agent' }).expect(201);
      const res = await t.http
        .get(`/api/v1/portal/tickets/${ticket.id}`)
        .set('X-Ticket-Token', ticket.accessToken)
        .expect(200);
      const agentMessage = res.body.messages.find(
        (m: { sender_type: string }) => m.sender_type === 'agent',
      );
      expect(agentMessage.sender).toEqual({ id: null, name: 'Agent Smith' });
      expect(JSON.stringify(res.body)).not.toContain(agent.user.id);
    });

    it('is refused to staff tokens (customer route)', async () => {
      const ticket = await openPublicTicket(t);
      await post(ticket.id, agent.auth, { body: 'x' }).expect(403);
    });
  });

  describe('internal notes', () => {
    it('are created, listed and shown in the staff detail', async () => {
      const ticket = await openPublicTicket(t);
      const created = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/notes`)
        .set(agent.auth)
        .send({ body: 'check billing' })
        .expect(201);
      expect(created.body).toMatchObject({
        ticket_id: ticket.id,
        author: { id: agent.user.id, name: 'Agent Smith' },
        body: 'check billing',
      });
      const list = await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}/notes`)
        .set(agent.auth)
        .expect(200);
      expect(list.body.items).toHaveLength(1);
      const detail = await status(ticket.id);
      expect(detail.internal_notes).toEqual([expect.objectContaining({ id: created.body.id })]);
      // A note is not a reply: no first response, no status change.
      expect(detail.first_responded_at).toBeNull();
      expect(detail.status).toBe('open');
    });

    it('may be deleted by the author or an admin only', async () => {
      const ticket = await openPublicTicket(t);
      const note = (
        await t.http
          .post(`/api/v1/admin/tickets/${ticket.id}/notes`)
          .set(agent.auth)
          .send({ body: 'n' })
          .expect(201)
      ).body;
      await t.http
        .delete(`/api/v1/admin/tickets/${ticket.id}/notes/${note.id}`)
        .set(otherAgent.auth)
        .expect(403);
      await t.http
        .delete(`/api/v1/admin/tickets/${ticket.id}/notes/${note.id}`)
        .set(manager.auth)
        .expect(403);
      await t.http
        .delete(`/api/v1/admin/tickets/${ticket.id}/notes/${note.id}`)
        .set(agent.auth)
        .expect(204);
      await t.http
        .delete(`/api/v1/admin/tickets/${ticket.id}/notes/${note.id}`)
        .set(agent.auth)
        .expect(404);
      const other = (
        await t.http
          .post(`/api/v1/admin/tickets/${ticket.id}/notes`)
          .set(agent.auth)
          .send({ body: 'n2' })
          .expect(201)
      ).body;
      await t.http
        .delete(`/api/v1/admin/tickets/${ticket.id}/notes/${other.id}`)
        .set(admin.auth)
        .expect(204);
      await t.http
        .delete(`/api/v1/admin/tickets/${ticket.id}/notes/not-a-uuid`)
        .set(admin.auth)
        .expect(422);
    });

    it('are staff-only', async () => {
      const ticket = await openPublicTicket(t);
      const customer = await createCustomer(t);
      await t.http.get(`/api/v1/admin/tickets/${ticket.id}/notes`).set(customer.auth).expect(403);
      await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/notes`)
        .set('X-Ticket-Token', ticket.accessToken)
        .send({ body: 'x' })
        .expect(401);
    });

    it('never leak into any customer-facing response (marker scan)', async () => {
      const marker = `NOTE-MARKER-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const customer = await createCustomer(t);
      const created = await t.http
        .post('/api/v1/tickets')
        .set(customer.auth)
        .send({ subject: 'leak check', message: 'hello' })
        .expect(201);
      const id = created.body.ticket.id;
      const token = created.body.access_token;
      await t.http
        .post(`/api/v1/admin/tickets/${id}/notes`)
        .set(agent.auth)
        .send({ body: `${marker} internal only` })
        .expect(201);
      await reply(id, { body: 'public reply' }).expect(201);
      const customerResponses = [
        await t.http.get(`/api/v1/portal/tickets/${id}`).set(customer.auth).expect(200),
        await t.http.get(`/api/v1/portal/tickets/${id}`).set('X-Ticket-Token', token).expect(200),
        await t.http.get('/api/v1/portal/tickets').set(customer.auth).expect(200),
        await t.http
          .get(`/api/v1/portal/tickets?status=waiting_customer`)
          .set(customer.auth)
          .expect(200),
        await t.http
          .post(`/api/v1/portal/tickets/${id}/messages`)
          .set(customer.auth)
          .send({ body: 'thanks' })
          .expect(201),
        await t.http
          .post('/api/v1/tickets')
          .set(customer.auth)
          .send({ subject: marker, message: 'search bait' })
          .expect(201),
        await t.http.get('/api/v1/auth/me').set(customer.auth).expect(200),
      ];
      for (const res of customerResponses) {
        expect(JSON.stringify(res.body)).not.toContain(`${marker} internal only`);
        expect(JSON.stringify(res.body)).not.toContain('internal_notes');
      }
      // Staff search finds the ticket by subject words, never by note words.
      const search = await t.http
        .get(
          `/api/v1/admin/tickets?q=${encodeURIComponent('internal only')}&requester_id=${customer.user.id}`,
        )
        .set(agent.auth)
        .expect(200);
      expect(search.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
      // And the note is really there for staff.
      const detail = await status(id);
      expect(JSON.stringify(detail.internal_notes)).toContain(marker);
    });
  });

  describe('assignments', () => {
    const assign = (id: string, body: Record<string, unknown>, who: SignedInUser) =>
      t.http.patch(`/api/v1/admin/tickets/${id}/assignee`).set(who.auth).send(body);

    it('lets support take a ticket and let it go, but not assign others or unassign others', async () => {
      const ticket = await openPublicTicket(t);
      const taken = await assign(ticket.id, { assignee_id: agent.user.id }, agent).expect(200);
      expect(taken.body.assignee).toMatchObject({ id: agent.user.id });
      await assign(ticket.id, { assignee_id: otherAgent.user.id }, agent).expect(403);
      await assign(ticket.id, { assignee_id: null }, otherAgent).expect(403);
      await assign(ticket.id, { assignee_id: null }, agent).expect(200);
    });

    it('lets managers assign anyone active on staff, with a reason kept in the history', async () => {
      const ticket = await openPublicTicket(t);
      await assign(
        ticket.id,
        { assignee_id: agent.user.id, reason: 'billing expert' },
        manager,
      ).expect(200);
      await assign(ticket.id, { assignee_id: otherAgent.user.id }, manager).expect(200);
      await assign(ticket.id, { assignee_id: null, reason: 'back to the queue' }, admin).expect(
        200,
      );
      const history = await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}/assignments`)
        .set(agent.auth)
        .expect(200);
      expect(history.body.items).toEqual([
        expect.objectContaining({
          from: null,
          to: { id: agent.user.id, name: 'Agent Smith' },
          by: { id: manager.user.id, name: manager.user.name },
          reason: 'billing expert',
        }),
        expect.objectContaining({
          from: { id: agent.user.id, name: 'Agent Smith' },
          to: { id: otherAgent.user.id, name: otherAgent.user.name },
          reason: null,
        }),
        expect.objectContaining({
          to: null,
          by: { id: admin.user.id, name: admin.user.name },
          reason: 'back to the queue',
        }),
      ]);
      expect(history.body.items[0].at).toEqual(expect.any(String));
    });

    it('refuses inactive users, customers and unknown ids (422)', async () => {
      const ticket = await openPublicTicket(t);
      const inactive = await createStaff(t);
      await t.http
        .patch(`/api/v1/admin/users/${inactive.user.id}`)
        .set(admin.auth)
        .send({ is_active: false })
        .expect(200);
      const customer = await createCustomer(t);
      for (const id of [
        inactive.user.id,
        customer.user.id,
        '019a0000-0000-7000-8000-000000000000',
      ]) {
        const res = await assign(ticket.id, { assignee_id: id }, manager).expect(422);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      await assign(ticket.id, { assignee_id: 'me' }, manager).expect(422);
      await assign(ticket.id, {}, manager).expect(422);
    });

    it('answers 409 TICKET_CLOSED on a closed ticket', async () => {
      const ticket = await openPublicTicket(t);
      await setStatus(ticket.id, 'resolved', agent, { resolution_notes: 'done' });
      await setStatus(ticket.id, 'closed');
      const res = await assign(ticket.id, { assignee_id: agent.user.id }, manager).expect(409);
      expect(res.body.code).toBe('TICKET_CLOSED');
    });

    it('records the initial assignee of a ticket created with one', async () => {
      const created = await t.http
        .post('/api/v1/admin/tickets')
        .set(manager.auth)
        .send({
          requester_email: `assigned-${Date.now()}@example.test`,
          subject: 's',
          message: 'm',
          assignee_id: agent.user.id,
        })
        .expect(201);
      const history = await t.http
        .get(`/api/v1/admin/tickets/${created.body.id}/assignments`)
        .set(agent.auth)
        .expect(200);
      expect(history.body.items).toEqual([
        expect.objectContaining({ from: null, to: expect.objectContaining({ id: agent.user.id }) }),
      ]);
    });

    it('keeps an unchanged assignee out of the history', async () => {
      const ticket = await openPublicTicket(t);
      await assign(ticket.id, { assignee_id: agent.user.id }, agent).expect(200);
      await assign(ticket.id, { assignee_id: agent.user.id }, agent).expect(200);
      const rows: Array<{ n: string }> = await t.app
        .get(DataSource)
        .query('SELECT count(*) AS n FROM ticket_assignment WHERE ticket_id = $1', [ticket.id]);
      expect(Number(rows[0].n)).toBe(1);
    });
  });
});
