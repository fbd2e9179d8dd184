import { DataSource } from 'typeorm';
import {
  createStaff,
  createTestApp,
  drained,
  eventually,
  gate,
  openPublicTicket,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';
import {
  startWebhookReceiver,
  type ReceivedRequest,
  type ReceiverHandler,
  type WebhookReceiver,
} from '@helpdesk/testing/webhook-receiver';
import { verifyWebhookSignature } from 'src/webhooks/verify-signature';

interface FeedItem {
  id: string;
  type: string;
  sequence: number;
  data: { ticket: { id: string; [key: string]: unknown }; [key: string]: unknown };
}

interface Delivery {
  id: string;
  event_id: string;
  sequence: number;
  status: string;
  attempts: number;
  response_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  delivered_at: string | null;
}

const RETRY_BASE_MS = 100;
const RETRY_WINDOW_MS = 3_000;
const TIMEOUT_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('webhooks (API.md section 11a)', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let manager: SignedInUser;
  let admin: SignedInUser;
  const receivers: WebhookReceiver[] = [];
  const webhookIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS),
      WEBHOOK_RETRY_WINDOW_MS: String(RETRY_WINDOW_MS),
      WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    agent = await createStaff(t, 'support');
    manager = await createStaff(t, 'support_manager');
    admin = await createStaff(t, 'admin');
  });

  afterEach(async () => {
    // Nothing of one test may be delivered during the next.
    for (const id of webhookIds.splice(0)) {
      await t.http.delete(`/api/v1/admin/webhooks/${id}`).set(admin.auth);
    }
    for (const receiver of receivers.splice(0)) await receiver.close();
  });

  afterAll(async () => {
    await t.close();
  });

  const receiver = async (handler?: ReceiverHandler) => {
    const started = await startWebhookReceiver(handler);
    receivers.push(started);
    return started;
  };

  const createWebhook = async (url: string, events: string[] = ['*']) => {
    const res = await t.http
      .post('/api/v1/admin/webhooks')
      .set(admin.auth)
      .send({ url, events })
      .expect(201);
    webhookIds.push(res.body.id);
    return res.body as { id: string; secret: string; url: string; events: string[] };
  };

  const deliveries = async (webhookId: string, query = ''): Promise<Delivery[]> =>
    (
      await t.http
        .get(`/api/v1/admin/webhooks/${webhookId}/deliveries?limit=200${query}`)
        .set(admin.auth)
        .expect(200)
    ).body.items;

  const feedOf = async (ticketId: string): Promise<FeedItem[]> => {
    const items: FeedItem[] = [];
    let after = 0;
    for (;;) {
      const page = (
        await t.http.get(`/api/v1/admin/events?after=${after}&limit=1000`).set(manager.auth)
      ).body;
      items.push(...page.items);
      if (page.items.length < 1000) break;
      after = page.next_after;
    }
    return items.filter((e) => e.data.ticket.id === ticketId);
  };

  const hooksFor = (r: WebhookReceiver, ticketId: string) =>
    r.received.filter(
      (q) => q.path === '/hook' && (JSON.parse(q.body) as FeedItem).data.ticket.id === ticketId,
    );

  const sequenceOf = (request: ReceivedRequest) => (JSON.parse(request.body) as FeedItem).sequence;

  describe('administration', () => {
    it('creates a webhook, shows its secret once, lists, reads, changes and deletes it', async () => {
      const created = await t.http
        .post('/api/v1/admin/webhooks')
        .set(admin.auth)
        .send({
          url: 'http://127.0.0.1:9/hook',
          events: ['ticket.status_changed', 'ticket.created', 'ticket.created'],
          description: 'CRM sync',
        })
        .expect(201);
      webhookIds.push(created.body.id);
      expect(created.body).toEqual({
        id: expect.any(String),
        url: 'http://127.0.0.1:9/hook',
        events: ['ticket.created', 'ticket.status_changed'],
        description: 'CRM sync',
        active: true,
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const id = created.body.id as string;

      const list = await t.http.get('/api/v1/admin/webhooks').set(admin.auth).expect(200);
      const listed = list.body.items.find((w: { id: string }) => w.id === id);
      expect(listed).toMatchObject({ url: 'http://127.0.0.1:9/hook', active: true });
      expect(listed.secret).toBeUndefined();
      const one = await t.http.get(`/api/v1/admin/webhooks/${id}`).set(admin.auth).expect(200);
      expect(one.body.secret).toBeUndefined();

      // Stored encrypted, not in the clear.
      const [row] = await t.app
        .get(DataSource)
        .query<{ secret_ciphertext: string }[]>(
          'SELECT secret_ciphertext FROM webhook WHERE id = $1',
          [id],
        );
      expect(row.secret_ciphertext).toMatch(/^v1\./);
      expect(row.secret_ciphertext).not.toContain(created.body.secret.slice(6, 20));

      const changed = await t.http
        .patch(`/api/v1/admin/webhooks/${id}`)
        .set(admin.auth)
        .send({ events: ['*'], active: false, description: null, url: 'http://127.0.0.1:10/x' })
        .expect(200);
      expect(changed.body).toMatchObject({
        events: ['*'],
        active: false,
        description: null,
        url: 'http://127.0.0.1:10/x',
      });
      expect(changed.body.secret).toBeUndefined();

      await t.http.delete(`/api/v1/admin/webhooks/${id}`).set(admin.auth).expect(204);
      await t.http.get(`/api/v1/admin/webhooks/${id}`).set(admin.auth).expect(404);
      await t.http.delete(`/api/v1/admin/webhooks/${id}`).set(admin.auth).expect(404);
      await t.http.get(`/api/v1/admin/webhooks/${id}/deliveries`).set(admin.auth).expect(404);
    });

    it.each([
      [{ url: 'http://127.0.0.1/h', events: ['*', 'ticket.created'] }, 'events'],
      [{ url: 'http://127.0.0.1/h', events: [] }, 'events'],
      [{ url: 'http://127.0.0.1/h', events: ['ticket.note_deleted'] }, 'events'],
      [{ url: 'http://127.0.0.1/h' }, 'events'],
      [{ url: 'ftp://127.0.0.1/h', events: ['*'] }, 'url'],
      [{ url: 'not a url', events: ['*'] }, 'url'],
      [{ url: 'http://user:pw@127.0.0.1/h', events: ['*'] }, 'url'],
      [{ url: 'http://no-such-host.invalid/h', events: ['*'] }, 'url'],
      [{ url: 'http://127.0.0.1/h', events: ['*'], secret: 'mine' }, 'secret'],
    ])('answers 422 for %j', async (body, field) => {
      const res = await t.http
        .post('/api/v1/admin/webhooks')
        .set(admin.auth)
        .send(body)
        .expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers 404 for unknown webhooks and deliveries, 422 for malformed ids', async () => {
      const hook = await createWebhook('http://127.0.0.1:9/hook');
      const missing = '01a1fe03-1bcb-768c-820a-3bff8db6c594';
      await t.http.patch(`/api/v1/admin/webhooks/${missing}`).set(admin.auth).send({}).expect(404);
      await t.http
        .post(`/api/v1/admin/webhooks/${hook.id}/deliveries/${missing}/redeliver`)
        .set(admin.auth)
        .expect(404);
      await t.http.get('/api/v1/admin/webhooks/nope').set(admin.auth).expect(422);
      await t.http
        .get(`/api/v1/admin/webhooks/${hook.id}/deliveries?status=lost`)
        .set(admin.auth)
        .expect(422);
    });

    it('is for admins only (support and support_manager get 403)', async () => {
      for (const who of [agent, manager]) {
        await t.http.get('/api/v1/admin/webhooks').set(who.auth).expect(403);
        await t.http
          .post('/api/v1/admin/webhooks')
          .set(who.auth)
          .send({ url: 'http://127.0.0.1:9/h', events: ['*'] })
          .expect(403);
      }
      await t.http.get('/api/v1/admin/webhooks').expect(401);
      await t.http.get('/api/v1/admin/webhooks').set(admin.auth).expect(200);
    });
  });

  describe('delivery', () => {
    it('delivers each event type once, signed, in sequence order, with the feed’s payload', async () => {
      const all = await receiver();
      const statusOnly = await receiver();
      const hook = await createWebhook(all.url, ['*']);
      const statusHook = await createWebhook(statusOnly.url, ['ticket.status_changed']);

      const ticket = await openPublicTicket(t, { message: 'OPENING-BODY-secret' });
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(manager.auth)
        .send({ subject: 'Renamed', priority: 'urgent' })
        .expect(200);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}/assignee`)
        .set(manager.auth)
        .send({ assignee_id: agent.user.id })
        .expect(200);
      await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .send({ body: 'REPLY-BODY-secret' })
        .expect(201);
      await t.http
        .post(`/api/v1/portal/tickets/${ticket.id}/messages`)
        .set('X-Ticket-Token', ticket.accessToken)
        .send({ body: 'CUSTOMER-BODY-secret' })
        .expect(201);
      const note = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/notes`)
        .set(agent.auth)
        .send({ body: 'NOTE-BODY-secret' })
        .expect(201);
      await t.http
        .delete(`/api/v1/admin/tickets/${ticket.id}/notes/${note.body.id}`)
        .set(agent.auth)
        .expect(204);
      await t.http.delete(`/api/v1/admin/tickets/${ticket.id}`).set(admin.auth).expect(204);

      const requests = await eventually(
        () => hooksFor(all, ticket.id).length >= 9 && hooksFor(all, ticket.id),
        { what: 'nine deliveries', timeoutMs: 20_000 },
      );
      await drained(t); // anything extra would have arrived by now
      const feed = await feedOf(ticket.id);
      expect(hooksFor(all, ticket.id)).toHaveLength(feed.length);
      expect(requests.map((r) => r.headers['webhook-id'])).toEqual(feed.map((e) => e.id));
      expect(new Set(feed.map((e) => e.type))).toEqual(
        new Set([
          'ticket.created',
          'ticket.updated',
          'ticket.assigned',
          'ticket.replied',
          'ticket.status_changed',
          'ticket.customer_replied',
          'ticket.note_created',
          'ticket.deleted',
        ]),
      );
      for (const [i, request] of requests.entries()) {
        expect(request.method).toBe('POST');
        expect(request.headers['content-type']).toBe('application/json');
        expect(verifyWebhookSignature(hook.secret, request.headers, request.body)).toBe(true);
        expect(verifyWebhookSignature(statusHook.secret, request.headers, request.body)).toBe(
          false,
        );
        expect(JSON.parse(request.body)).toEqual(feed[i]);
        expect(Number(request.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -2);
        expect(request.body).not.toMatch(/BODY-secret/);
        expect(request.body).not.toContain(ticket.accessToken);
      }
      // Across everything this webhook got, sequences only go up.
      const sequences = all.received.map(sequenceOf);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));

      // A webhook gets only the types it subscribed to.
      const statusChanges = feed.filter((e) => e.type === 'ticket.status_changed');
      await eventually(() => hooksFor(statusOnly, ticket.id).length >= statusChanges.length, {
        what: 'status deliveries',
        timeoutMs: 20_000,
      });
      expect(hooksFor(statusOnly, ticket.id).map((r) => r.headers['webhook-id'])).toEqual(
        statusChanges.map((e) => e.id),
      );

      const log = await deliveries(hook.id);
      const logged = log.filter((d) => feed.some((e) => e.id === d.event_id));
      expect(logged).toHaveLength(feed.length);
      for (const delivery of logged) {
        expect(delivery).toMatchObject({
          status: 'delivered',
          attempts: 1,
          response_status: 200,
          last_error: null,
          next_attempt_at: null,
        });
      }
      expect((await deliveries(hook.id, '&status=failed')).length).toBe(0);
    });

    it('sends a target that fails 3 times the event exactly once more, and holds later events behind it', async () => {
      let firstId: string | undefined;
      let failuresLeft = 3;
      const target = await receiver((request) => {
        firstId ??= request.headers['webhook-id'] as string;
        if (request.headers['webhook-id'] === firstId && failuresLeft-- > 0)
          return { status: 500, body: 'not yet' };
        return { status: 204 };
      });
      const hook = await createWebhook(target.url, ['ticket.created', 'ticket.updated']);

      const ticket = await openPublicTicket(t);
      for (const subject of ['first edit', 'second edit']) {
        await t.http
          .patch(`/api/v1/admin/tickets/${ticket.id}`)
          .set(manager.auth)
          .send({ subject })
          .expect(200);
      }
      const requests = await eventually(() => target.received.length >= 6 && target.received, {
        what: 'six requests',
        timeoutMs: 20_000,
      });
      await drained(t);
      expect(target.received).toHaveLength(6);
      const feed = await feedOf(ticket.id);
      const [created, firstEdit, secondEdit] = feed.map((e) => e.id);
      expect(requests.map((r) => r.headers['webhook-id'])).toEqual([
        created,
        created,
        created,
        created,
        firstEdit,
        secondEdit,
      ]);
      for (const request of requests) {
        expect(verifyWebhookSignature(hook.secret, request.headers, request.body)).toBe(true);
      }
      // Exponential backoff between the attempts of the failing event.
      const gaps = requests.slice(1, 4).map((r, i) => r.at - requests[i].at);
      gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(RETRY_BASE_MS * 2 ** i - 60));

      const log = await deliveries(hook.id);
      const byEvent = new Map(log.map((d) => [d.event_id, d]));
      expect(byEvent.get(created)).toMatchObject({
        status: 'delivered',
        attempts: 4,
        response_status: 204,
        last_error: null,
      });
      expect(byEvent.get(firstEdit)).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(log.map((d) => d.sequence)).toEqual(feed.map((e) => e.sequence).reverse());

      // Redelivery: the same webhook-id again, freshly signed.
      const redelivered = await t.http
        .post(`/api/v1/admin/webhooks/${hook.id}/deliveries/${byEvent.get(created)!.id}/redeliver`)
        .set(admin.auth)
        .expect(202);
      expect(redelivered.body).toMatchObject({ status: 'pending', attempts: 0, event_id: created });
      const again = await eventually(() => target.received[6], {
        what: 'the redelivery',
        timeoutMs: 20_000,
      });
      expect(again.headers['webhook-id']).toBe(created);
      expect(again.body).toBe(requests[0].body);
      expect(verifyWebhookSignature(hook.secret, again.headers, again.body)).toBe(true);
      await eventually(
        async () =>
          (await deliveries(hook.id)).find((d) => d.event_id === created)?.status === 'delivered',
        { what: 'the redelivery to be logged', timeoutMs: 20_000 },
      );
    });

    it('gives up when the retry window ends, marks the delivery failed and moves on', async () => {
      let failing: string | undefined;
      const target = await receiver((request) => {
        failing ??= request.headers['webhook-id'] as string;
        return request.headers['webhook-id'] === failing
          ? { status: 503, body: 'down for maintenance' }
          : { status: 200 };
      });
      const hook = await createWebhook(target.url, ['ticket.created', 'ticket.updated']);
      const ticket = await openPublicTicket(t);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(manager.auth)
        .send({ subject: 'behind a failure' })
        .expect(200);

      const log = await eventually(
        async () => {
          const items = await deliveries(hook.id);
          return items.length === 2 && items.every((d) => d.status !== 'pending') && items;
        },
        { what: 'both deliveries to settle', timeoutMs: RETRY_WINDOW_MS + 10_000 },
      );
      const [edit, created] = log;
      expect(created).toMatchObject({
        status: 'failed',
        response_status: 503,
        last_error: 'HTTP 503: down for maintenance',
        next_attempt_at: null,
        delivered_at: null,
      });
      expect(created.attempts).toBeGreaterThanOrEqual(4);
      expect(edit).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(Date.parse(edit.delivered_at!)).toBeGreaterThanOrEqual(
        Date.parse(created.last_attempt_at!),
      );
      const attempts = target.received.filter((r) => r.headers['webhook-id'] === failing);
      expect(attempts[attempts.length - 1].at - attempts[0].at).toBeGreaterThanOrEqual(
        RETRY_WINDOW_MS - 100,
      );
      expect((await deliveries(hook.id, '&status=failed')).map((d) => d.id)).toEqual([created.id]);
    });

    it('times out a silent target, does not follow redirects, and cuts large answers', async () => {
      const secondArrived = gate();
      const holdSecond = gate();
      const thirdArrived = gate();
      const holdThird = gate();
      const target = await receiver(async (request) => {
        if (request.path !== '/hook') return { status: 200 };
        if (request.index === 0) return new Promise(() => undefined); // never answers
        if (request.index === 1) {
          secondArrived.open();
          await holdSecond.promise;
          return { status: 302, headers: { location: `${target.origin}/elsewhere` } };
        }
        thirdArrived.open();
        await holdThird.promise;
        return { status: 200, body: 'x'.repeat(1024 * 1024) };
      });
      const hook = await createWebhook(target.url, ['ticket.created']);
      const ticket = await openPublicTicket(t);

      await secondArrived.promise;
      let [delivery] = await deliveries(hook.id);
      expect(delivery).toMatchObject({
        status: 'pending',
        attempts: 1,
        response_status: null,
        last_error: `no response within ${TIMEOUT_MS / 1000} s`,
      });
      holdSecond.open();

      await thirdArrived.promise;
      [delivery] = await deliveries(hook.id);
      expect(delivery).toMatchObject({
        status: 'pending',
        attempts: 2,
        response_status: 302,
        last_error: 'HTTP 302: redirects are not followed',
      });
      holdThird.open();

      await eventually(async () => (await deliveries(hook.id))[0].status === 'delivered', {
        what: 'the third attempt to succeed',
        timeoutMs: 20_000,
      });
      [delivery] = await deliveries(hook.id);
      expect(delivery).toMatchObject({ attempts: 3, response_status: 200, last_error: null });
      expect(target.received.map((r) => r.path)).toEqual(['/hook', '/hook', '/hook']);
      expect(new Set(target.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
      expect(JSON.parse(target.received[0].body).data.ticket.id).toBe(ticket.id);
    });

    it('keeps each webhook’s deliveries in sequence order under 50 concurrent changes', async () => {
      const failOnce = new Set<string>();
      const target = await receiver(async (request) => {
        await sleep(Math.random() * 15);
        const id = request.headers['webhook-id'] as string;
        // Every seventh event fails its first attempt: later ones must wait for its retry.
        if (request.index % 7 === 3 && !failOnce.has(id)) {
          failOnce.add(id);
          return { status: 500 };
        }
        return { status: 200 };
      });
      await createWebhook(target.url, ['ticket.updated']);
      const tickets = await Promise.all(Array.from({ length: 10 }, () => openPublicTicket(t)));
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          t.http
            .patch(`/api/v1/admin/tickets/${tickets[i % 10].id}`)
            .set(manager.auth)
            .send({ subject: `concurrent change ${i}` })
            .expect(200),
        ),
      );

      const delivered = () => new Set(target.received.map((r) => r.headers['webhook-id']));
      await eventually(() => delivered().size >= 50, {
        what: '50 events delivered',
        timeoutMs: 30_000,
      });
      await drained(t);
      const sequences = target.received.map(sequenceOf);
      // A retry repeats its sequence; nothing ever goes back below one already attempted.
      for (let i = 1; i < sequences.length; i++) {
        expect(sequences[i]).toBeGreaterThanOrEqual(sequences[i - 1]);
      }
      expect(target.received.length).toBe(50 + failOnce.size);
      expect(failOnce.size).toBeGreaterThan(0);

      const expected = (await Promise.all(tickets.map((ticket) => feedOf(ticket.id))))
        .flat()
        .filter((e) => e.type === 'ticket.updated')
        .sort((a, b) => a.sequence - b.sequence);
      expect([...delivered()]).toEqual(expected.map((e) => e.id));
    });

    it('sends nothing while a webhook is inactive, and only new events once it is active again', async () => {
      const target = await receiver();
      const hook = await createWebhook(target.url, ['ticket.created']);
      await t.http
        .patch(`/api/v1/admin/webhooks/${hook.id}`)
        .set(admin.auth)
        .send({ active: false })
        .expect(200);
      const whileOff = await openPublicTicket(t);
      await eventually(async () => (await feedOf(whileOff.id)).length === 1, {
        what: 'the event',
        timeoutMs: 20_000,
      });
      await drained(t);
      expect(target.received).toHaveLength(0);

      await t.http
        .patch(`/api/v1/admin/webhooks/${hook.id}`)
        .set(admin.auth)
        .send({ active: true })
        .expect(200);
      const afterOn = await openPublicTicket(t);
      const [request] = await eventually(() => target.received.length > 0 && target.received, {
        what: 'a delivery',
        timeoutMs: 20_000,
      });
      expect(JSON.parse(request.body).data.ticket.id).toBe(afterOn.id);
      await drained(t);
      expect(target.received).toHaveLength(1);
    });
  });
});
