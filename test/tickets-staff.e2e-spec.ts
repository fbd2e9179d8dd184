import { DataSource } from 'typeorm';
import {
  createCustomer,
  createStaff,
  createTestApp,
  openPublicTicket,
  uniqueEmail,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';

describe('staff tickets /api/v1/admin/tickets (API.md section 6)', () => {
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

  const createAsStaff = async (who: SignedInUser, overrides: Record<string, unknown> = {}) =>
    (
      await t.http
        .post('/api/v1/admin/tickets')
        .set(who.auth)
        .send({
          requester_email: uniqueEmail('caller'),
          subject: 'Phone call',
          message: 'Customer called.',
          ...overrides,
        })
        .expect(201)
    ).body;

  describe('POST', () => {
    it('creates a ticket with the staff view, channel phone by default, and an ETag', async () => {
      const res = await t.http
        .post('/api/v1/admin/tickets')
        .set(agent.auth)
        .send({
          requester_email: uniqueEmail('caller'),
          requester_name: 'Caller',
          subject: 'Billing question',
          message: 'Charged twice',
          priority: 'high',
          category: 'billing',
          tags: ['Refund', 'refund', 'vip'],
          custom_fields: { order: 'A-7' },
        })
        .expect(201);
      expect(res.body).toMatchObject({
        subject: 'Billing question',
        status: 'open',
        priority: 'high',
        channel: 'phone',
        category: 'billing',
        tags: ['refund', 'vip'],
        custom_fields: { order: 'A-7' },
        escalated: false,
        assignee: null,
        version: 1,
        requester: { name: 'Caller' },
        sla: { state: expect.any(String), paused: false },
      });
      expect(res.headers.etag).toBe('"1"');
    });

    it('lets support assign only themselves; managers anyone active on staff', async () => {
      const self = await createAsStaff(agent, { assignee_id: agent.user.id });
      expect(self.assignee).toMatchObject({ id: agent.user.id, name: agent.user.name });
      await t.http
        .post('/api/v1/admin/tickets')
        .set(agent.auth)
        .send({
          requester_email: uniqueEmail(),
          subject: 's',
          message: 'm',
          assignee_id: manager.user.id,
        })
        .expect(403);
      const byManager = await createAsStaff(manager, { assignee_id: agent.user.id });
      expect(byManager.assignee.id).toBe(agent.user.id);
      const customer = await createCustomer(t);
      const res = await t.http
        .post('/api/v1/admin/tickets')
        .set(manager.auth)
        .send({
          requester_email: uniqueEmail(),
          subject: 's',
          message: 'm',
          assignee_id: customer.user.id,
        })
        .expect(422);
      expect(res.body.errors[0].field).toBe('assignee_id');
    });

    it('is for staff only', async () => {
      const customer = await createCustomer(t);
      await t.http
        .post('/api/v1/admin/tickets')
        .set(customer.auth)
        .send({ requester_email: uniqueEmail(), subject: 's', message: 'm' })
        .expect(403);
      await t.http
        .post('/api/v1/admin/tickets')
        .send({ requester_email: uniqueEmail(), subject: 's', message: 'm' })
        .expect(401);
    });
  });

  describe('GET /{id}', () => {
    it('returns the staff detail with requester ticket_count, messages, notes, attachments and sla', async () => {
      const email = uniqueEmail('detail');
      await openPublicTicket(t, { email });
      const ticket = await openPublicTicket(t, { email, message: 'the first message' });
      const res = await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .expect(200);
      expect(res.body.requester).toMatchObject({ email, ticket_count: 2, organization: null });
      expect(res.body.messages).toEqual([
        expect.objectContaining({ body: 'the first message', sender_type: 'customer' }),
      ]);
      expect(res.body.internal_notes).toEqual([]);
      expect(res.body.attachments).toEqual([]);
      expect(res.body.sla).toEqual(
        expect.objectContaining({ state: expect.stringMatching(/^(ok|at_risk|breached)$/) }),
      );
      expect(res.headers.etag).toBe(`"${res.body.version}"`);
    });

    it('answers 404 for unknown ids and 422 for malformed ones', async () => {
      await t.http
        .get('/api/v1/admin/tickets/019a0000-0000-7000-8000-000000000000')
        .set(agent.auth)
        .expect(404);
      const res = await t.http.get('/api/v1/admin/tickets/123').set(agent.auth).expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('PATCH /{id}', () => {
    it('edits subject, category, tags and custom fields and bumps the version', async () => {
      const ticket = await openPublicTicket(t);
      const res = await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ subject: 'Renamed', category: 'billing', tags: ['a'], custom_fields: { x: 1 } })
        .expect(200);
      expect(res.body).toMatchObject({
        subject: 'Renamed',
        category: 'billing',
        tags: ['a'],
        custom_fields: { x: 1 },
        version: 2,
      });
      expect(res.headers.etag).toBe('"2"');
    });

    it('reserves priority changes to managers', async () => {
      const ticket = await openPublicTicket(t);
      const denied = await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ priority: 'urgent' })
        .expect(403);
      expect(denied.body.code).toBe('FORBIDDEN');
      const ok = await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(manager.auth)
        .send({ priority: 'urgent' })
        .expect(200);
      expect(ok.body.priority).toBe('urgent');
    });

    it('answers 412 PRECONDITION_FAILED for a stale If-Match and changes nothing', async () => {
      const ticket = await openPublicTicket(t);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .set('If-Match', '"1"')
        .send({ subject: 'v2' })
        .expect(200);
      const stale = await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .set('If-Match', '"1"')
        .send({ subject: 'lost' })
        .expect(412);
      expect(stale.body.code).toBe('PRECONDITION_FAILED');
      const now = await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .expect(200);
      expect(now.body).toMatchObject({ subject: 'v2', version: 2 });
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .set('If-Match', 'W/"2"')
        .send({ subject: 'weak' })
        .expect(412); // If-Match compares strongly (RFC 9110 13.1.1): a weak tag never matches
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .set('If-Match', '"2"')
        .send({ subject: 'v3' })
        .expect(200);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .set('If-Match', 'garbage')
        .send({ subject: 'v4' })
        .expect(412);
    });

    it('answers 422 for unknown fields and bad values', async () => {
      const ticket = await openPublicTicket(t);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ status: 'closed' })
        .expect(422);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ tags: 'x' })
        .expect(422);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ subject: '' })
        .expect(422);
    });
  });

  describe('PATCH /{id}/status', () => {
    const move = (id: string, who: SignedInUser, body: Record<string, unknown>) =>
      t.http.patch(`/api/v1/admin/tickets/${id}/status`).set(who.auth).send(body);

    it('walks the workflow and keeps the lifecycle timestamps', async () => {
      const ticket = await openPublicTicket(t);
      await move(ticket.id, agent, { status: 'in_progress' }).expect(200);
      const resolved = await move(ticket.id, agent, {
        status: 'resolved',
        resolution_notes: 'Reset the password.',
      }).expect(200);
      expect(resolved.body).toMatchObject({
        status: 'resolved',
        resolution_notes: 'Reset the password.',
        closed_at: null,
      });
      expect(resolved.body.resolved_at).toEqual(expect.any(String));
      const closed = await move(ticket.id, manager, { status: 'closed' }).expect(200);
      expect(closed.body.closed_at).toEqual(expect.any(String));
      expect(closed.body.resolved_at).toBe(resolved.body.resolved_at);
      const reopened = await move(ticket.id, manager, { status: 'open' }).expect(200);
      expect(reopened.body).toMatchObject({ status: 'open', resolved_at: null, closed_at: null });
    });

    it('answers 409 INVALID_STATUS_TRANSITION for illegal moves, including to the current status', async () => {
      const ticket = await openPublicTicket(t);
      const same = await move(ticket.id, agent, { status: 'open' }).expect(409);
      expect(same.body.code).toBe('INVALID_STATUS_TRANSITION');
      expect(same.body.title).toBe('Invalid status transition');
      expect(same.body.detail).toBe("A ticket in status 'open' cannot move to 'open'.");
      await move(ticket.id, admin, { status: 'closed' }).expect(409);
    });

    it('requires resolution_notes to resolve', async () => {
      const ticket = await openPublicTicket(t);
      const res = await move(ticket.id, agent, { status: 'resolved' }).expect(422);
      expect(res.body.errors[0].field).toBe('resolution_notes');
    });

    it('reserves closing and reopening closed tickets to managers (403)', async () => {
      const ticket = await openPublicTicket(t);
      await move(ticket.id, agent, { status: 'resolved', resolution_notes: 'done' }).expect(200);
      const denied = await move(ticket.id, agent, { status: 'closed' }).expect(403);
      expect(denied.body.code).toBe('FORBIDDEN');
      await move(ticket.id, manager, { status: 'closed' }).expect(200);
      await move(ticket.id, agent, { status: 'open' }).expect(403);
      await move(ticket.id, agent, { status: 'pending' }).expect(409);
    });

    it('answers 422 for an unknown status', async () => {
      const ticket = await openPublicTicket(t);
      await move(ticket.id, agent, { status: 'done' }).expect(422);
    });

    it('serialises 20 parallel status changes: no 5xx, no lost update, a consistent history', async () => {
      const ticket = await openPublicTicket(t);
      const targets = ['in_progress', 'pending', 'waiting_customer', 'open'];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          move(ticket.id, agent, { status: targets[i % targets.length] }),
        ),
      );
      for (const res of results) expect([200, 409]).toContain(res.status);
      const succeeded = results.filter((r) => r.status === 200).length;
      expect(succeeded).toBeGreaterThan(0);
      const final = await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .expect(200);
      // Every successful change bumped the version exactly once.
      expect(final.body.version).toBe(1 + succeeded);
    });

    it('serialises 20 parallel edits without losing one', async () => {
      const ticket = await openPublicTicket(t);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.http
            .patch(`/api/v1/admin/tickets/${ticket.id}`)
            .set(agent.auth)
            .send({ subject: `edit ${i}` }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
      const final = await t.http
        .get(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .expect(200);
      expect(final.body.version).toBe(21);
    });
  });

  describe('DELETE /{id}', () => {
    it('is for admins; the ticket then disappears from every read', async () => {
      const customer = await createCustomer(t);
      const created = await t.http
        .post('/api/v1/tickets')
        .set(customer.auth)
        .send({ subject: 'to delete', message: 'x' })
        .expect(201);
      const id = created.body.ticket.id;
      await t.http.delete(`/api/v1/admin/tickets/${id}`).set(manager.auth).expect(403);
      await t.http.delete(`/api/v1/admin/tickets/${id}`).set(admin.auth).expect(204);
      await t.http.get(`/api/v1/admin/tickets/${id}`).set(admin.auth).expect(404);
      await t.http.get(`/api/v1/portal/tickets/${id}`).set(customer.auth).expect(404);
      await t.http
        .get(`/api/v1/portal/tickets/${id}`)
        .set('X-Ticket-Token', created.body.access_token)
        .expect(401);
      const list = await t.http
        .get(`/api/v1/admin/tickets?requester_id=${customer.user.id}`)
        .set(admin.auth)
        .expect(200);
      expect(list.body.items).toHaveLength(0);
      const portal = await t.http.get('/api/v1/portal/tickets').set(customer.auth).expect(200);
      expect(portal.body.items).toHaveLength(0);
      await t.http
        .patch(`/api/v1/admin/tickets/${id}/status`)
        .set(admin.auth)
        .send({ status: 'pending' })
        .expect(404);
      await t.http.delete(`/api/v1/admin/tickets/${id}`).set(admin.auth).expect(404);
    });
  });

  describe('GET (list and search)', () => {
    let marker: string;
    let customerEmail: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      marker = `zq${Date.now().toString(36)}`;
      customerEmail = uniqueEmail('lister');
      ids.a = (
        await createAsStaff(agent, {
          requester_email: customerEmail,
          subject: `Printer ${marker} jammed`,
          priority: 'low',
          category: 'hardware',
          tags: ['printer'],
          channel: 'email',
          assignee_id: agent.user.id,
        })
      ).id;
      ids.b = (
        await createAsStaff(manager, {
          requester_email: customerEmail,
          subject: `Refund ${marker}`,
          priority: 'urgent',
          category: 'billing',
          tags: ['refund', 'vip'],
        })
      ).id;
      ids.c = (
        await createAsStaff(manager, {
          requester_email: customerEmail,
          subject: `Login issue ${marker}`,
          message: `the ${marker} flux capacitor`,
          priority: 'high',
        })
      ).id;
      await t.http
        .patch(`/api/v1/admin/tickets/${ids.c}/status`)
        .set(agent.auth)
        .send({ status: 'pending' })
        .expect(200);
    });

    const list = async (query: string, who: SignedInUser = agent) =>
      (
        await t.http
          .get(
            `/api/v1/admin/tickets?requester_email=${encodeURIComponent(customerEmail)}&${query}`,
          )
          .set(who.auth)
          .expect(200)
      ).body;
    const idsOf = (body: { items: Array<{ id: string }> }) => body.items.map((i) => i.id);

    it('lists newest first by default with pagination metadata', async () => {
      const body = await list('limit=2');
      expect(body).toMatchObject({
        total: 3,
        page: 1,
        limit: 2,
        total_pages: 2,
        total_is_estimate: false,
      });
      expect(idsOf(body)).toEqual([ids.c, ids.b]);
      expect(idsOf(await list('limit=2&page=2'))).toEqual([ids.a]);
    });

    it.each([
      ['status=pending', ['c']],
      ['status=open,pending', ['c', 'b', 'a']],
      ['priority=high,urgent', ['c', 'b']],
      ['category=hardware', ['a']],
      ['tag=vip', ['b']],
      ['channel=email', ['a']],
      ['assignee_id=none', ['c', 'b']],
    ])('filters by %s', async (query, expected) => {
      expect(idsOf(await list(query))).toEqual(expected.map((k) => ids[k]));
    });

    it('filters assignee_id=me and by id', async () => {
      expect(idsOf(await list('assignee_id=me'))).toEqual([ids.a]);
      expect(idsOf(await list(`assignee_id=${agent.user.id}`, manager))).toEqual([ids.a]);
    });

    it('searches subject, message bodies and requester with q, and ticket numbers exactly', async () => {
      expect(idsOf(await list(`q=${marker}`))).toEqual([ids.c, ids.b, ids.a]);
      expect(idsOf(await list('q=capacitor'))).toEqual([ids.c]);
      expect(idsOf(await list('q=printer'))).toEqual([ids.a]);
      const detail = await t.http.get(`/api/v1/admin/tickets/${ids.b}`).set(agent.auth).expect(200);
      expect(idsOf(await list(`q=${detail.body.number}`))).toEqual([ids.b]);
      expect(idsOf(await list(`q=%23${detail.body.number}`))).toEqual([ids.b]);
      const byEmail = await t.http
        .get(`/api/v1/admin/tickets?q=${encodeURIComponent(customerEmail)}`)
        .set(agent.auth)
        .expect(200);
      expect(byEmail.body.total).toBe(3);
    });

    it('pages, sorts and filters search results like any list', async () => {
      const page1 = await list(`q=${marker}&limit=2`);
      expect(idsOf(page1)).toEqual([ids.c, ids.b]);
      expect(page1).toMatchObject({ total: 3, total_is_estimate: false });
      expect(idsOf(await list(`q=${marker}&limit=2&page=2`))).toEqual([ids.a]);
      expect(idsOf(await list(`q=${marker}&sort=created_at&limit=2`))).toEqual([ids.a, ids.b]);
      expect(idsOf(await list(`q=${marker}&sort=-priority`))).toEqual([ids.b, ids.c, ids.a]);
      const filtered = await list(`q=${marker}&priority=high,urgent`);
      expect(idsOf(filtered)).toEqual([ids.c, ids.b]);
      expect(filtered.total).toBe(2);
      expect(await list('q=nosuchwordanywhere')).toMatchObject({ items: [], total: 0 });
    });

    it('ranks by relevance when asked', async () => {
      const body = await list(`q=${marker}&sort=-relevance`);
      expect(body.items).toHaveLength(3);
      await t.http.get('/api/v1/admin/tickets?sort=relevance').set(agent.auth).expect(422);
    });

    it.each([
      ['sort=priority', ['a', 'c', 'b']],
      ['sort=-priority', ['b', 'c', 'a']],
      ['sort=created_at', ['a', 'b', 'c']],
      ['sort=-number', ['c', 'b', 'a']],
      ['sort=status', ['a', 'b', 'c']],
      ['sort=-status', ['c', 'b', 'a']],
      ['sort=-updated_at', ['c', 'b', 'a']],
    ])('sorts with %s', async (query, expected) => {
      expect(idsOf(await list(query))).toEqual(expected.map((k) => ids[k]));
    });

    it('sorts by resolution_due_at without failing', async () => {
      expect((await list('sort=resolution_due_at')).items).toHaveLength(3);
    });

    it('filters by created and updated windows', async () => {
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const past = new Date(Date.now() - 3_600_000).toISOString();
      expect((await list(`created_from=${past}&created_to=${future}`)).total).toBe(3);
      expect((await list(`created_from=${future}`)).total).toBe(0);
      expect((await list(`updated_to=${past}`)).total).toBe(0);
    });

    it('filters by sla state', async () => {
      const all = (await list('limit=50')).total;
      const breached = (await list('sla=breached')).total;
      const atRisk = (await list('sla=at_risk')).total;
      const ok = (await list('sla=ok')).total;
      expect(breached + atRisk + ok).toBe(all);
    });

    it.each([
      'sort=subject',
      'sort=-password',
      'status=done',
      'priority=critical',
      'assignee_id=someone',
      'requester_id=1',
      'created_from=yesterday',
      'limit=0',
      'limit=201',
      'page=0',
      'sla=late',
      'channel=fax',
    ])('answers 422 for %s', async (query) => {
      const res = await t.http.get(`/api/v1/admin/tickets?${query}`).set(agent.auth).expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('survives hostile search input', async () => {
      for (const q of [
        "'; DROP TABLE ticket; --",
        '!!!',
        '"unterminated',
        'a & | b',
        '\\',
        '%_%',
      ]) {
        await t.http
          .get(`/api/v1/admin/tickets?q=${encodeURIComponent(q)}`)
          .set(agent.auth)
          .expect(200);
      }
      const rows: Array<{ n: string }> = await t.app
        .get(DataSource)
        .query('SELECT count(*) AS n FROM ticket');
      expect(Number(rows[0].n)).toBeGreaterThan(0);
    });

    it('is for staff only', async () => {
      const customer = await createCustomer(t);
      await t.http.get('/api/v1/admin/tickets').set(customer.auth).expect(403);
      await t.http.get('/api/v1/admin/tickets').expect(401);
    });
  });

  describe('GET with a search word in more than 10,000 tickets', () => {
    it('answers a page in order and an estimated total no lower than the matches seen', async () => {
      const word = `abundant${Date.now()}`;
      const requester = (await createCustomer(t)).user.id;
      await t.app.get(DataSource).query(
        `INSERT INTO ticket (id, subject, channel, requester_id, created_at)
         SELECT gen_random_uuid(), $1 || ' ' || g, 'web', $2, now() - g * interval '1 second'
         FROM generate_series(1, 10050) g`,
        [word, requester],
      );
      const res = await t.http
        .get(`/api/v1/admin/tickets?q=${word}&limit=3`)
        .set(agent.auth)
        .expect(200);
      expect(res.body.total_is_estimate).toBe(true);
      expect(res.body.total).toBeGreaterThan(10_000);
      expect(res.body.items.map((item: { subject: string }) => item.subject)).toEqual([
        `${word} 1`,
        `${word} 2`,
        `${word} 3`,
      ]);
    });
  });
});
