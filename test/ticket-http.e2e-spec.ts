import {
  createStaff,
  createTestApp,
  openPublicTicket,
  uniqueEmail,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';

/** HTTP semantics of the ticket routes: ETags, conditional requests, Location, by-number. */
describe('ticket HTTP semantics (API.md section 1)', () => {
  let t: TestApp;
  let agent: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    agent = await createStaff(t, 'support');
  });

  afterAll(async () => {
    await t.close();
  });

  const get = (id: string) => t.http.get(`/api/v1/admin/tickets/${id}`).set(agent.auth);

  describe('ETag after writes', () => {
    it("a reply answers with the ticket's new ETag, so the next If-Match write succeeds", async () => {
      const ticket = await openPublicTicket(t);
      const before = await get(ticket.id).expect(200);
      const reply = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .set('If-Match', before.headers.etag)
        .send({ body: 'On it.' })
        .expect(201);
      // The reply moved the ticket to waiting_customer: a new version.
      const after = await get(ticket.id).expect(200);
      expect(after.body.version).toBeGreaterThan(before.body.version);
      expect(reply.headers.etag).toBe(`"${after.body.version}"`);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .set('If-Match', reply.headers.etag)
        .send({ subject: 'Renamed after the reply' })
        .expect(200);
    });

    it('a reply that changes nothing else still answers with the current ETag', async () => {
      const ticket = await openPublicTicket(t);
      await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .send({ body: 'first' })
        .expect(201);
      const second = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .send({ body: 'second' })
        .expect(201);
      const now = await get(ticket.id).expect(200);
      expect(second.headers.etag).toBe(now.headers.etag);
    });
  });

  describe('If-Match', () => {
    it('refuses a weak validator with 412 and changes nothing (RFC 9110: If-Match is strong)', async () => {
      const ticket = await openPublicTicket(t);
      const current = await get(ticket.id).expect(200);
      const refused = await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}/status`)
        .set(agent.auth)
        .set('If-Match', `W/${current.headers.etag}`)
        .send({ status: 'in_progress' })
        .expect(412);
      expect(refused.body.code).toBe('PRECONDITION_FAILED');
      expect((await get(ticket.id)).body.status).toBe('open');
    });
  });

  describe('GET with If-None-Match', () => {
    it('answers 304 without a body while the ETag is current, 200 once it changed', async () => {
      const ticket = await openPublicTicket(t);
      const first = await get(ticket.id).expect(200);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"\d+"$/);
      const unchanged = await get(ticket.id).set('If-None-Match', etag).expect(304);
      expect(unchanged.text ?? '').toBe('');
      expect(unchanged.headers.etag).toBe(etag);
      await get(ticket.id).set('If-None-Match', `W/${etag}`).expect(304); // weak comparison
      await get(ticket.id).set('If-None-Match', `"999", ${etag}`).expect(304);
      await get(ticket.id).set('If-None-Match', '"999"').expect(200);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(agent.auth)
        .send({ subject: 'changed' })
        .expect(200);
      const changed = await get(ticket.id).set('If-None-Match', etag).expect(200);
      expect(changed.body.subject).toBe('changed');
    });
  });

  describe('Location on 201', () => {
    it('POST /admin/tickets points at the new ticket', async () => {
      const res = await t.http
        .post('/api/v1/admin/tickets')
        .set(agent.auth)
        .send({ requester_email: uniqueEmail('loc'), subject: 'Located', message: 'x' })
        .expect(201);
      expect(res.headers.location).toBe(`/api/v1/admin/tickets/${res.body.id}`);
      await t.http.get(res.headers.location).set(agent.auth).expect(200);
    });

    it('POST /tickets points at the portal view its access token opens', async () => {
      const res = await t.http
        .post('/api/v1/tickets')
        .send({ name: 'A', email: uniqueEmail('loc'), subject: 'Hi', message: 'x' })
        .expect(201);
      expect(res.headers.location).toBe(`/api/v1/portal/tickets/${res.body.ticket.id}`);
      await t.http
        .get(res.headers.location)
        .set('X-Ticket-Token', res.body.access_token)
        .expect(200);
    });

    it('replies and notes point into their ticket', async () => {
      const ticket = await openPublicTicket(t);
      const reply = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .send({ body: 'hello' })
        .expect(201);
      expect(reply.headers.location).toBe(`/api/v1/admin/tickets/${ticket.id}/messages`);
      const note = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/notes`)
        .set(agent.auth)
        .send({ body: 'internal' })
        .expect(201);
      expect(note.headers.location).toBe(
        `/api/v1/admin/tickets/${ticket.id}/notes/${note.body.id}`,
      );
    });
  });

  describe('GET /admin/tickets/by-number/{n}', () => {
    it('answers the same detail as GET by id', async () => {
      const ticket = await openPublicTicket(t);
      const byId = await get(ticket.id).expect(200);
      const byNumber = await t.http
        .get(`/api/v1/admin/tickets/by-number/${ticket.number}`)
        .set(agent.auth)
        .expect(200);
      expect(byNumber.body).toEqual(byId.body);
      expect(byNumber.headers.etag).toBe(byId.headers.etag);
    });

    it('404 for an unknown or deleted number, 422 for a non-number, 401 anonymously', async () => {
      const admin = await createStaff(t, 'admin');
      const ticket = await openPublicTicket(t);
      await t.http.delete(`/api/v1/admin/tickets/${ticket.id}`).set(admin.auth).expect(204);
      const gone = await t.http
        .get(`/api/v1/admin/tickets/by-number/${ticket.number}`)
        .set(agent.auth)
        .expect(404);
      expect(gone.body.code).toBe('NOT_FOUND');
      await t.http.get('/api/v1/admin/tickets/by-number/2147483647').set(agent.auth).expect(404);
      const bad = await t.http
        .get('/api/v1/admin/tickets/by-number/abc')
        .set(agent.auth)
        .expect(422);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      await t.http.get(`/api/v1/admin/tickets/by-number/${ticket.number}`).expect(401);
    });
  });
});
