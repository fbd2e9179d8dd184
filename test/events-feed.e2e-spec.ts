import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DataSource } from 'typeorm';
import { DomainEvents, UnitOfWork, type Actor } from '@helpdesk/common';
import {
  createCustomer,
  createStaff,
  createTestApp,
  openPublicTicket,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';
import { baseUrlOf, openSse, type SseClient } from '@helpdesk/testing/sse-client';
import { eventually, gate } from '@helpdesk/testing';
import { EventStreamService } from 'src/events/event-stream.service';
import { EventsService } from 'src/events/events.service';
import { EditTicket } from 'src/ticket-workflow/edit-ticket';

interface FeedItem {
  id: string;
  type: string;
  occurred_at: string;
  sequence: number;
  actor: { type: string; id: string | null };
  data: { ticket: { id: string; [key: string]: unknown }; [key: string]: unknown };
}

const STAFF_TICKET_KEYS = [
  'assignee',
  'attachment_count',
  'category',
  'channel',
  'closed_at',
  'created_at',
  'created_by',
  'custom_fields',
  'escalated',
  'first_responded_at',
  'id',
  'number',
  'priority',
  'reply_count',
  'requester',
  'resolution_notes',
  'resolved_at',
  'sla',
  'status',
  'subject',
  'tags',
  'updated_at',
  'version',
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('event feed and stream (API.md section 11a)', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let manager: SignedInUser;
  let admin: SignedInUser;
  let baseUrl: string;
  const streams: SseClient[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = baseUrlOf(t.app);
    agent = await createStaff(t, 'support');
    manager = await createStaff(t, 'support_manager');
    admin = await createStaff(t, 'admin');
  });

  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });

  afterAll(async () => {
    await t.close();
  });

  const feedPage = async (query: string, who: SignedInUser = manager) =>
    (await t.http.get(`/api/v1/admin/events?${query}`).set(who.auth).expect(200)).body as {
      items: FeedItem[];
      next_after: number;
    };

  /** Every event after `after`, paging with next_after. */
  const feedAfter = async (after: number): Promise<FeedItem[]> => {
    const items: FeedItem[] = [];
    for (;;) {
      const page = await feedPage(`after=${after}&limit=1000`);
      items.push(...page.items);
      if (page.items.length < 1000) return items;
      after = page.next_after;
    }
  };

  const eventsOf = async (ticketId: string, count: number): Promise<FeedItem[]> =>
    eventually(
      async () => {
        const items = (await feedAfter(0)).filter((e) => e.data.ticket?.id === ticketId);
        return items.length >= count ? items : null;
      },
      { what: `${count} feed events of ticket ${ticketId}`, timeoutMs: 20_000 },
    );

  const head = () => t.app.get(EventsService).head();

  /** Waits until every committed event row has its sequence. */
  const sequenced = () =>
    eventually(
      async () => {
        const [{ count }] = await t.app
          .get(DataSource)
          .query<{ count: string }[]>('SELECT count(*) FROM event WHERE sequence IS NULL');
        return count === '0';
      },
      { what: 'every event sequenced', timeoutMs: 20_000 },
    );

  describe('contents', () => {
    it('records every change once, in order, with the ticket as the change left it and no bodies or tokens', async () => {
      const ticket = await openPublicTicket(t, { message: 'OPENING-BODY-secret' });
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(manager.auth)
        .send({ subject: 'Renamed', priority: 'high' })
        .expect(200);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}/assignee`)
        .set(manager.auth)
        .send({ assignee_id: agent.user.id })
        .expect(200);
      const reply = await t.http
        .post(`/api/v1/admin/tickets/${ticket.id}/replies`)
        .set(agent.auth)
        .send({ body: 'REPLY-BODY-secret' })
        .expect(201);
      const customerMessage = await t.http
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

      const events = await eventsOf(ticket.id, 9);
      expect(events.map((e) => e.type)).toEqual([
        'ticket.created',
        'ticket.updated',
        'ticket.assigned',
        'ticket.replied',
        'ticket.status_changed',
        'ticket.customer_replied',
        'ticket.status_changed',
        'ticket.note_created',
        'ticket.deleted',
      ]);
      const sequences = events.map((e) => e.sequence);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
      expect(new Set(sequences).size).toBe(sequences.length);

      const [created, updated, assigned, replied, waiting, customer, reopened, noted, deleted] =
        events;
      expect(created.actor).toEqual({ type: 'user', id: null });
      expect(Object.keys(created.data.ticket).sort()).toEqual(STAFF_TICKET_KEYS);
      expect(created.data.ticket).toMatchObject({ id: ticket.id, number: ticket.number });
      expect(created.data.changes).toBeUndefined();
      // One PATCH, one ticket.updated, whatever domain events it took to record it.
      expect(updated).toMatchObject({
        actor: { type: 'user', id: manager.user.id },
        data: {
          ticket: { subject: 'Renamed', priority: 'high' },
          changes: { subject: ['Help needed', 'Renamed'], priority: ['normal', 'high'] },
        },
      });
      expect(assigned.data.changes).toEqual({ assignee_id: [null, agent.user.id] });
      expect(assigned.data.ticket.assignee).toMatchObject({ id: agent.user.id });
      expect(replied).toMatchObject({
        actor: { type: 'user', id: agent.user.id },
        data: { message_id: reply.body.id, first_response: true },
      });
      expect(waiting.data).toMatchObject({
        changes: { status: ['open', 'waiting_customer'] },
        cause: 'agent_reply',
      });
      expect(customer).toMatchObject({
        actor: { type: 'user', id: null },
        data: { message_id: customerMessage.body.id },
      });
      expect(reopened.data).toMatchObject({
        changes: { status: ['waiting_customer', 'open'] },
        cause: 'customer_reply',
      });
      expect(noted.data.note_id).toBe(note.body.id);
      expect(deleted.data.ticket).toMatchObject({ id: ticket.id, subject: 'Renamed' });

      const everything = JSON.stringify(events);
      expect(everything).not.toMatch(/BODY-secret/);
      expect(everything).not.toContain(ticket.accessToken);
      expect(everything).not.toMatch(/access_token|message_length|body_length/);
    });

    it('names an API key as the actor of what it does', async () => {
      const key = await t.http
        .post('/api/v1/admin/api-keys')
        .set(admin.auth)
        .send({ name: 'Shop', role: 'support' })
        .expect(201);
      const res = await t.http
        .post('/api/v1/tickets')
        .set('X-API-Key', key.body.key)
        .send({ name: 'Via API', email: 'via.api@example.test', subject: 'API', message: 'hi' })
        .expect(201);
      const [created] = await eventsOf(res.body.ticket.id, 1);
      expect(created.actor).toEqual({ type: 'api_key', id: key.body.id });
    });

    it('holds nothing of a change that rolled back', async () => {
      const ticket = await openPublicTicket(t);
      await eventsOf(ticket.id, 1);
      // Resolving without notes fails validation after the lock: nothing commits.
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}/status`)
        .set(agent.auth)
        .send({ status: 'resolved' })
        .expect(422);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}/status`)
        .set(agent.auth)
        .send({ status: 'in_progress' })
        .expect(200);
      const events = await eventsOf(ticket.id, 2);
      expect(events.map((e) => e.type)).toEqual(['ticket.created', 'ticket.status_changed']);
    });
  });

  describe('reading', () => {
    it('filters by type and answers next_after = the highest sequence scanned', async () => {
      await sequenced();
      const start = await head();
      const ticket = await openPublicTicket(t);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}`)
        .set(manager.auth)
        .send({ subject: 'Filtered' })
        .expect(200);
      await eventsOf(ticket.id, 2);
      const now = await head();

      const filtered = await feedPage(`after=${start}&types=ticket.updated,ticket.deleted`);
      expect(filtered.items.map((e) => e.type)).toEqual(['ticket.updated']);
      // The created event was scanned and skipped: the reader moves past it.
      expect(filtered.next_after).toBe(now);
      expect(await feedPage(`after=${filtered.next_after}&types=ticket.updated`)).toEqual({
        items: [],
        next_after: now,
      });

      const first = await feedPage(`after=${start}&limit=1`);
      expect(first.items).toHaveLength(1);
      expect(first.items[0].type).toBe('ticket.created');
      expect(first.next_after).toBe(first.items[0].sequence);
      const second = await feedPage(`after=${first.next_after}&limit=1`);
      expect(second.items[0].type).toBe('ticket.updated');

      // Past the head: nothing, and next_after stays where the reader is.
      expect(await feedPage(`after=${now + 1000}`)).toEqual({ items: [], next_after: now + 1000 });
    });

    it.each([
      ['limit=0'],
      ['limit=1001'],
      ['limit=ten'],
      ['after=-1'],
      ['after=1.5'],
      ['types=ticket.exploded'],
      ['types=ticket.note_deleted'],
    ])('answers 422 for %s', async (query) => {
      const res = await t.http.get(`/api/v1/admin/events?${query}`).set(manager.auth).expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('is for support_manager and above (support 403, customer 403, anonymous 401)', async () => {
      await t.http.get('/api/v1/admin/events').set(agent.auth).expect(403);
      await t.http
        .get('/api/v1/admin/events')
        .set((await createCustomer(t)).auth)
        .expect(403);
      await t.http.get('/api/v1/admin/events').expect(401);
      await t.http.get('/api/v1/admin/events').set(manager.auth).expect(200);
      await t.http.get('/api/v1/admin/events').set(admin.auth).expect(200);
    });
  });

  describe('sequences have no blind spots', () => {
    it('gives a transaction that commits later a higher sequence than one a reader has already seen', async () => {
      const held = await openPublicTicket(t);
      const quick = await openPublicTicket(t);
      await eventsOf(quick.id, 1);
      await eventsOf(held.id, 1);

      // Hold the first change open after its event row is written, until the test lets it go.
      const inserted = gate();
      const release = gate();
      let holding: string | null = held.id;
      t.app.get(DomainEvents).register({
        name: 'test-hold-transaction',
        consume: async (events) => {
          if (holding && events.some((e) => e.resourceId === holding)) {
            holding = null;
            inserted.open();
            await release.promise;
          }
        },
      });
      const slow = t.http
        .patch(`/api/v1/admin/tickets/${held.id}`)
        .set(manager.auth)
        .send({ subject: 'Recorded first, committed last' })
        .then((res) => res);
      await inserted.promise;

      await t.http
        .patch(`/api/v1/admin/tickets/${quick.id}`)
        .set(manager.auth)
        .send({ subject: 'Recorded second, committed first' })
        .expect(200);
      const [, quickUpdate] = await eventsOf(quick.id, 2);
      // The reader has seen quickUpdate.sequence; the held change is not in the feed yet.
      const seen = await feedPage(`after=${quickUpdate.sequence - 1}`);
      expect(seen.items.map((e) => e.id)).toEqual([quickUpdate.id]);

      release.open();
      expect((await slow).status).toBe(200);
      const [, heldUpdate] = await eventsOf(held.id, 2);
      expect(heldUpdate.id < quickUpdate.id).toBe(true); // its row was written first…
      expect(heldUpdate.sequence).toBeGreaterThan(quickUpdate.sequence); // …and numbered after
      const next = await feedPage(`after=${seen.next_after}`);
      expect(next.items.map((e) => e.id)).toContain(heldUpdate.id);
    });

    it('a reader polling while 20 writers commit sees exactly the final feed, never below what it saw', async () => {
      const writers = 20;
      const changesPerWriter = 5;
      const tickets = await Promise.all(Array.from({ length: writers }, () => openPublicTicket(t)));
      await sequenced();
      const start = await head();

      const seen = new Map<string, number>();
      const violations: string[] = [];
      let stop = false;
      let polls = 0;
      const checker = (async () => {
        let after = start;
        let highest = start;
        for (;;) {
          // Only a poll that began after `stop` proves the reader has caught up: one already in
          // flight may have read a snapshot from before the last commit.
          const stopped = stop;
          const page = await feedPage(`after=${after}&limit=25`);
          polls++;
          for (const item of page.items) {
            if (item.sequence <= highest)
              violations.push(`${item.sequence} appeared after ${highest} was seen`);
            if (seen.has(item.id)) violations.push(`${item.id} seen twice`);
            seen.set(item.id, item.sequence);
            highest = Math.max(highest, item.sequence);
          }
          if (page.next_after < after)
            violations.push(`next_after went back to ${page.next_after}`);
          after = page.next_after;
          if (page.items.length === 0) {
            if (stopped) return;
            await sleep(5);
          }
        }
      })();

      // Half the changes go through HTTP; the other half hold their transaction open for a
      // random while after writing, so commits land in a different order than writes.
      const unitOfWork = t.app.get(UnitOfWork);
      const editTicket = t.app.get(EditTicket);
      const txHost = t.app.get<TransactionHost<TransactionalAdapterTypeOrm>>(TransactionHost);
      const actor: Actor = { type: 'user', id: manager.user.id, role: 'support_manager' };
      await Promise.all(
        tickets.map(async (ticket, w) => {
          for (let i = 0; i < changesPerWriter; i++) {
            const subject = `writer ${w} change ${i}`;
            if (i % 2 === 0) {
              await t.http
                .patch(`/api/v1/admin/tickets/${ticket.id}`)
                .set(manager.auth)
                .send({ subject })
                .expect(200);
            } else {
              await unitOfWork.run(
                async () => {
                  await editTicket.run(actor, ticket.id, { subject });
                  await txHost.tx.query('SELECT pg_sleep($1)', [Math.random() * 0.08]);
                },
                { actor },
              );
            }
          }
        }),
      );
      await sequenced();
      stop = true;
      await checker;

      const final = await feedAfter(start);
      expect(violations).toEqual([]);
      expect(final).toHaveLength(writers * changesPerWriter);
      const finalSequences = final.map((e) => e.sequence);
      for (let i = 1; i < finalSequences.length; i++) {
        expect(finalSequences[i]).toBeGreaterThan(finalSequences[i - 1]);
      }
      expect([...seen.entries()].sort()).toEqual(final.map((e) => [e.id, e.sequence]).sort());
      expect(polls).toBeGreaterThan(1);
    });
  });

  describe('the SSE stream', () => {
    const open = async (headers: Record<string, string> = {}, query = '') => {
      const stream = await openSse(`${baseUrl}/api/v1/admin/events/stream${query}`, {
        ...agent.auth,
        ...headers,
      });
      streams.push(stream);
      return stream;
    };

    const framesFor = (stream: SseClient, count: number, what: string) =>
      eventually(() => stream.frames.length >= count && stream.frames, {
        what: what,
        timeoutMs: 20_000,
      });

    it('starts at the present and sends the feed’s own payloads, framed by sequence and type', async () => {
      await openPublicTicket(t); // history the stream must not replay
      await sequenced();
      const stream = await open();
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(stream.headers['cache-control']).toContain('no-cache');
      expect(stream.headers['x-request-id']).toEqual(expect.any(String));

      const ticket = await openPublicTicket(t);
      const [frame] = await framesFor(stream, 1, 'the created frame');
      const [created] = await eventsOf(ticket.id, 1);
      expect(frame).toEqual({
        id: String(created.sequence),
        event: 'ticket.created',
        data: JSON.stringify(created),
      });
      expect(JSON.parse(frame.data)).toEqual(created);
    });

    it('resumes right after Last-Event-ID without gaps or duplicates', async () => {
      const ticket = await openPublicTicket(t);
      await sequenced();
      const start = await head();
      const first = await open();
      const change = (subject: string) =>
        t.http
          .patch(`/api/v1/admin/tickets/${ticket.id}`)
          .set(manager.auth)
          .send({ subject })
          .expect(200);
      for (let i = 0; i < 4; i++) await change(`before ${i}`);
      await framesFor(first, 4, 'four frames');
      first.close();
      const lastId = first.frames[first.frames.length - 1].id!;

      // Changes while the client is away …
      for (let i = 0; i < 4; i++) await change(`while away ${i}`);
      await sequenced();
      const second = await open({ 'Last-Event-ID': lastId });
      // … and after it is back.
      for (let i = 0; i < 2; i++) await change(`after ${i}`);
      await framesFor(second, 6, 'the missed and the new frames');

      const received = [...first.frames, ...second.frames].map((f) => Number(f.id));
      const expected = (await feedAfter(start)).map((e) => e.sequence);
      expect(received).toEqual(expected);
      expect(new Set(received).size).toBe(received.length);
    });

    it('filters by types and skips the rest', async () => {
      const stream = await open({}, '?types=ticket.status_changed');
      const ticket = await openPublicTicket(t);
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}/status`)
        .set(agent.auth)
        .send({ status: 'in_progress' })
        .expect(200);
      const [frame] = await framesFor(stream, 1, 'the status frame');
      expect(frame.event).toBe('ticket.status_changed');
      await sleep(300);
      expect(stream.frames.every((f) => f.event === 'ticket.status_changed')).toBe(true);
    });

    it('answers 422 for a Last-Event-ID that is not a sequence', async () => {
      const stream = await open({ 'Last-Event-ID': 'abc' });
      expect(stream.status).toBe(422);
      expect(JSON.parse(await stream.body())).toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('is for staff (support and above)', async () => {
      const anonymous = await openSse(`${baseUrl}/api/v1/admin/events/stream`, {});
      streams.push(anonymous);
      expect(anonymous.status).toBe(401);
      const customer = await openSse(
        `${baseUrl}/api/v1/admin/events/stream`,
        (await createCustomer(t)).auth,
      );
      streams.push(customer);
      expect(customer.status).toBe(403);
    });

    it('lets go of a stream whose client went away', async () => {
      const service = t.app.get(EventStreamService);
      const stream = await open();
      await eventually(() => service.openStreams > 0, {
        what: 'the stream to register',
        timeoutMs: 20_000,
      });
      stream.close();
      await eventually(() => service.openStreams === 0, {
        what: 'the stream to be released',
        timeoutMs: 20_000,
      });
    });
  });
});
