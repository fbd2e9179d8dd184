import { DataSource } from 'typeorm';
import { RatingLinks } from 'src/ratings/rating-links';
import {
  captureDomainEvents,
  createCustomer,
  createStaff,
  createTestApp,
  openPublicTicket,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';

describe('CSAT ratings (API.md section 5)', () => {
  let t: TestApp;
  let manager: SignedInUser;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let captured: ReturnType<typeof captureDomainEvents>;

  beforeAll(async () => {
    t = await createTestApp();
    manager = await createStaff(t, 'support_manager');
    alice = await createCustomer(t);
    bob = await createCustomer(t);
    captured = captureDomainEvents(t);
  });

  afterAll(async () => {
    await t.close();
  });

  const ticketOf = async (who: SignedInUser = alice) =>
    (
      await t.http
        .post('/api/v1/tickets')
        .set(who.auth)
        .send({ subject: 'Rate me', message: 'Help' })
        .expect(201)
    ).body.ticket.id as string;
  const setStatus = (id: string, status: string, extra: Record<string, unknown> = {}) =>
    t.http
      .patch(`/api/v1/admin/tickets/${id}/status`)
      .set(manager.auth)
      .send({ status, ...extra })
      .expect(200);
  const resolve = (id: string) => setStatus(id, 'resolved', { resolution_notes: 'Fixed.' });
  const rate = (
    id: string,
    body: Record<string, unknown>,
    headers: Record<string, string> = alice.auth,
  ) => t.http.post(`/api/v1/portal/tickets/${id}/rating`).set(headers).send(body);
  const ratingRows = async (id: string) =>
    t.app.get(DataSource).query('SELECT * FROM ticket_rating WHERE ticket_id = $1', [id]);

  describe('POST /portal/tickets/{id}/rating', () => {
    it('answers 409 CONFLICT before the ticket is resolved', async () => {
      const id = await ticketOf();
      const res = await rate(id, { score: 5 }).expect(409);
      expect(res.body.code).toBe('CONFLICT');
      expect(await ratingRows(id)).toEqual([]);
    });

    it('rates a resolved ticket (200, the rating), then replaces it on rating again', async () => {
      const id = await ticketOf();
      await resolve(id);
      const first = await rate(id, { score: 2, comment: 'Slow.' }).expect(200);
      expect(first.body).toEqual({ score: 2, comment: 'Slow.', rated_at: expect.any(String) });
      const second = await rate(id, { score: 5 }).expect(200);
      expect(second.body).toMatchObject({ score: 5, comment: null });
      const rows = await ratingRows(id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        score: 5,
        comment: null,
        rated_by_id: alice.user.id,
        source: 'portal',
      });
      expect(
        captured.ofType('ticket.rated', id).map((e) => [e.event.changes, e.event.details]),
      ).toEqual([
        [{ score: [null, 2] }, { score: 2, comment_length: 5, source: 'portal' }],
        [{ score: [2, 5] }, { score: 5, comment_length: 0, source: 'portal' }],
      ]);
    });

    it('rates closed tickets too, and shows the rating in the customer and staff views', async () => {
      const id = await ticketOf();
      await resolve(id);
      await setStatus(id, 'closed');
      await rate(id, { score: 4, comment: 'Good' }).expect(200);
      const portal = await t.http.get(`/api/v1/portal/tickets/${id}`).set(alice.auth).expect(200);
      expect(portal.body.rating).toEqual({
        score: 4,
        comment: 'Good',
        rated_at: expect.any(String),
      });
      const staff = await t.http.get(`/api/v1/admin/tickets/${id}`).set(manager.auth).expect(200);
      expect(staff.body.rating).toEqual(portal.body.rating);
    });

    it('shows rating: null before any rating', async () => {
      const id = await ticketOf();
      const portal = await t.http.get(`/api/v1/portal/tickets/${id}`).set(alice.auth).expect(200);
      expect(portal.body.rating).toBeNull();
    });

    it('takes the ticket’s X-Ticket-Token instead of a bearer token', async () => {
      const ticket = await openPublicTicket(t);
      await resolve(ticket.id);
      await rate(ticket.id, { score: 3 }, { 'X-Ticket-Token': ticket.accessToken }).expect(200);
      const [row] = await ratingRows(ticket.id);
      expect(row).toMatchObject({ score: 3, rated_by_id: null });
    });

    it('answers 404 to another customer, and to another ticket’s token', async () => {
      const id = await ticketOf();
      await resolve(id);
      await rate(id, { score: 1 }, bob.auth).expect(404);
      const other = await openPublicTicket(t);
      await rate(id, { score: 1 }, { 'X-Ticket-Token': other.accessToken }).expect(404);
      expect(await ratingRows(id)).toEqual([]);
    });

    it('is for customers: staff get 403, nobody 401', async () => {
      const id = await ticketOf();
      await resolve(id);
      await rate(id, { score: 5 }, manager.auth).expect(403);
      await t.http.post(`/api/v1/portal/tickets/${id}/rating`).send({ score: 5 }).expect(401);
    });

    it.each([
      ['score 0', { score: 0 }],
      ['score 6', { score: 6 }],
      ['a fractional score', { score: 3.5 }],
      ['a score as a string', { score: '5' }],
      ['no score', { comment: 'hi' }],
      ['a comment over 2000 characters', { score: 5, comment: 'x'.repeat(2001) }],
      ['an unknown field', { score: 5, stars: 5 }],
    ])('answers 422 for %s', async (_, body) => {
      const id = await ticketOf();
      await resolve(id);
      const res = await rate(id, body).expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('accepts a 2000-character comment', async () => {
      const id = await ticketOf();
      await resolve(id);
      await rate(id, { score: 5, comment: 'y'.repeat(2000) }).expect(200);
    });
  });

  describe('the signed rating link of the resolution email', () => {
    const links = () => t.app.get(RatingLinks);
    const tokenOf = (url: string) => url.split('/').pop()!;

    it('is a PUBLIC_URL link that works without signing in', async () => {
      const id = await ticketOf();
      await resolve(id);
      const url = links().linkFor(id);
      expect(url).toMatch(
        /^http:\/\/helpdesk\.test\/api\/v1\/ratings\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
      );
      const token = tokenOf(url);

      const page = await t.http.get(`/api/v1/ratings/${token}`).expect(200);
      expect(page.body).toEqual({
        ticket: {
          number: expect.any(Number),
          subject: 'Rate me',
          status: 'resolved',
          resolved_at: expect.any(String),
        },
        rating: null,
        can_rate: true,
        expires_at: expect.any(String),
      });
      expect(new Date(page.body.expires_at).getTime()).toBeGreaterThan(
        Date.now() + 29 * 86_400_000,
      );

      const res = await t.http
        .post(`/api/v1/ratings/${token}`)
        .send({ score: 4, comment: 'Nice' })
        .expect(200);
      expect(res.body).toMatchObject({ score: 4, comment: 'Nice' });
      const [row] = await ratingRows(id);
      expect(row).toMatchObject({ score: 4, source: 'link', rated_by_id: null });
      // Audited as the ticket's customer holding its link, like an X-Ticket-Token.
      const [{ event, context }] = captured.ofType('ticket.rated', id);
      expect(event.details).toMatchObject({ score: 4, source: 'link' });
      expect(context.actor).toMatchObject({ type: 'ticket_token', ticketId: id });
      const audit = await t.http
        .get(`/api/v1/admin/audit-logs?action=ticket.rating&resource_id=${id}`)
        .set(manager.auth)
        .expect(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          actor: { type: 'user', id: null, role: 'customer' },
          changes: { score: [null, 4] },
        }),
      ]);

      const after = await t.http.get(`/api/v1/ratings/${token}`).expect(200);
      expect(after.body.rating).toMatchObject({ score: 4, comment: 'Nice' });
    });

    it('answers 401 to a tampered or made-up token', async () => {
      const id = await ticketOf();
      await resolve(id);
      const token = links().tokenFor(id);
      const other = links().tokenFor(await ticketOf());
      // The first ticket's payload with the second ticket's signature.
      const spliced = `${token.split('.')[0]}.${other.split('.')[1]}`;
      for (const bad of [
        spliced,
        'garbage',
        `${token}x`,
        token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
      ]) {
        const res = await t.http
          .post(`/api/v1/ratings/${encodeURIComponent(bad)}`)
          .send({ score: 1 })
          .expect(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
      await t.http.get('/api/v1/ratings/garbage').expect(401);
      expect(await ratingRows(id)).toEqual([]);
    });

    it('answers 401 TOKEN_EXPIRED once the link has expired', async () => {
      const id = await ticketOf();
      await resolve(id);
      const longAgo = new Date(Date.now() - 31 * 86_400_000);
      const token = links().tokenFor(id, longAgo);
      const res = await t.http.post(`/api/v1/ratings/${token}`).send({ score: 5 }).expect(401);
      expect(res.body.code).toBe('TOKEN_EXPIRED');
      await t.http.get(`/api/v1/ratings/${token}`).expect(401);
    });

    it('answers 404 once the ticket is deleted, 409 while it is open again', async () => {
      const deleted = await ticketOf();
      await resolve(deleted);
      const admin = await createStaff(t, 'admin');
      const deletedToken = links().tokenFor(deleted);
      await t.http.delete(`/api/v1/admin/tickets/${deleted}`).set(admin.auth).expect(204);
      await t.http.post(`/api/v1/ratings/${deletedToken}`).send({ score: 5 }).expect(404);
      await t.http.get(`/api/v1/ratings/${deletedToken}`).expect(404);

      const reopened = await ticketOf();
      await resolve(reopened);
      const token = links().tokenFor(reopened);
      await setStatus(reopened, 'open');
      const page = await t.http.get(`/api/v1/ratings/${token}`).expect(200);
      expect(page.body.can_rate).toBe(false);
      const res = await t.http.post(`/api/v1/ratings/${token}`).send({ score: 5 }).expect(409);
      expect(res.body.code).toBe('CONFLICT');
    });

    it('validates the body like the portal route', async () => {
      const id = await ticketOf();
      await resolve(id);
      await t.http
        .post(`/api/v1/ratings/${links().tokenFor(id)}`)
        .send({ score: 9 })
        .expect(422);
    });
  });
});
