import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  captureDomainEvents,
  createCustomer,
  createStaff,
  createTestApp,
  openPublicTicket,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';

describe('bulk actions POST /api/v1/admin/tickets/bulk (API.md section 6)', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let manager: SignedInUser;
  let admin: SignedInUser;
  let captured: ReturnType<typeof captureDomainEvents>;

  beforeAll(async () => {
    t = await createTestApp();
    agent = await createStaff(t, 'support', { name: 'Bulk Agent' });
    manager = await createStaff(t, 'support_manager');
    admin = await createStaff(t, 'admin');
    captured = captureDomainEvents(t);
  });

  afterAll(async () => {
    await t.close();
  });

  const bulk = (body: Record<string, unknown>, who: SignedInUser = manager) =>
    t.http.post('/api/v1/admin/tickets/bulk').set(who.auth).send(body);
  const ticketOf = async (id: string) =>
    (await t.http.get(`/api/v1/admin/tickets/${id}`).set(admin.auth).expect(200)).body;
  const open = async () => (await openPublicTicket(t)).id;
  const move = (id: string, status: string, extra: Record<string, unknown> = {}) =>
    t.http
      .patch(`/api/v1/admin/tickets/${id}/status`)
      .set(manager.auth)
      .send({ status, ...extra })
      .expect(200);
  const closed = async () => {
    const id = await open();
    await move(id, 'resolved', { resolution_notes: 'Done.' });
    await move(id, 'closed');
    return id;
  };

  describe('who may call it, and what a well-formed call is', () => {
    it('answers 403 to support agents and 401 without credentials', async () => {
      const id = await open();
      await bulk({ ticket_ids: [id], action: 'priority', parameters: { priority: 'high' } }, agent)
        .expect(403)
        .expect((res) => expect(res.body.code).toBe('FORBIDDEN'));
      await t.http
        .post('/api/v1/admin/tickets/bulk')
        .send({ ticket_ids: [id], action: 'delete' })
        .expect(401);
      const customer = await createCustomer(t);
      await bulk({ ticket_ids: [id], action: 'delete' }, customer).expect(403);
    });

    it('refuses a manager’s delete with 403 for the whole call, deleting nothing', async () => {
      const id = await open();
      const res = await bulk({ ticket_ids: [id], action: 'delete' }).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      await ticketOf(id);
    });

    it('answers 422 for 501 ids, no ids, or ids that are not UUIDs', async () => {
      const ids = Array.from({ length: 501 }, () => randomUUID());
      const tooMany = await bulk({
        ticket_ids: ids,
        action: 'priority',
        parameters: { priority: 'low' },
      }).expect(422);
      expect(tooMany.body.code).toBe('VALIDATION_FAILED');
      expect(tooMany.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'ticket_ids' })]),
      );
      await bulk({ ticket_ids: [], action: 'delete' }, admin).expect(422);
      await bulk({ ticket_ids: ['nope'], action: 'delete' }, admin).expect(422);
      await bulk({ ticket_ids: 'x', action: 'delete' }, admin).expect(422);
    });

    it('counts duplicate ids once (500 distinct ids after deduplication are fine)', async () => {
      const id = await open();
      const res = await bulk({
        ticket_ids: [id, id, id.toUpperCase()],
        action: 'priority',
        parameters: { priority: 'high' },
      }).expect(200);
      expect(res.body).toEqual({ succeeded: [id], failed: [] });
    });

    it.each([
      ['an unknown action', { action: 'merge', parameters: {} }],
      ['no action', { parameters: { priority: 'high' } }],
      ['missing parameters', { action: 'priority' }],
      ['parameters that are not an object', { action: 'priority', parameters: 'high' }],
      ['a bad enum value', { action: 'priority', parameters: { priority: 'whenever' } }],
      ['a field of another action', { action: 'priority', parameters: { tags: ['x'] } }],
      ['an extra field', { action: 'status', parameters: { status: 'pending', x: 1 } }],
      ['a bad status', { action: 'status', parameters: { status: 'done' } }],
      ['an assignee that is not a UUID', { action: 'assign', parameters: { assignee_id: 'bob' } }],
      ['no assignee at all', { action: 'assign', parameters: {} }],
      ['no tags', { action: 'add_tags', parameters: { tags: [] } }],
      ['a tag too long', { action: 'remove_tags', parameters: { tags: ['x'.repeat(51)] } }],
      ['parameters for delete', { action: 'delete', parameters: { hard: true } }],
      ['an unknown top-level field', { action: 'delete', force: true }],
    ])('answers 422 for the whole call on %s, changing nothing', async (_, body) => {
      const id = await open();
      const before = await ticketOf(id);
      const res = await bulk({ ticket_ids: [id], ...body }, admin).expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect((await ticketOf(id)).version).toBe(before.version);
    });
  });

  describe('partial failure', () => {
    it('applies each ticket in its own unit of work and reports the others', async () => {
      const fresh = await open();
      const working = await open();
      await move(working, 'in_progress');
      const closedOne = await closed();
      const resolvedOne = await open();
      await move(resolvedOne, 'resolved', { resolution_notes: 'Earlier.' });
      const deleted = await open();
      await t.http.delete(`/api/v1/admin/tickets/${deleted}`).set(admin.auth).expect(204);
      const unknown = randomUUID();
      const since = captured.events.length;

      const res = await bulk({
        ticket_ids: [fresh, closedOne, working, resolvedOne, unknown, deleted],
        action: 'status',
        parameters: { status: 'resolved', resolution_notes: 'Fixed in 2.4.1.' },
      }).expect(200);

      expect(res.body.succeeded).toEqual([fresh, working]);
      expect(res.body.failed).toEqual([
        { id: closedOne, code: 'INVALID_STATUS_TRANSITION', message: expect.any(String) },
        { id: resolvedOne, code: 'INVALID_STATUS_TRANSITION', message: expect.any(String) },
        { id: unknown, code: 'NOT_FOUND', message: expect.any(String) },
        { id: deleted, code: 'NOT_FOUND', message: expect.any(String) },
      ]);
      for (const id of [fresh, working]) {
        expect(await ticketOf(id)).toMatchObject({
          status: 'resolved',
          resolution_notes: 'Fixed in 2.4.1.',
          resolved_at: expect.any(String),
        });
      }
      expect((await ticketOf(closedOne)).status).toBe('closed');
      expect((await ticketOf(resolvedOne)).resolution_notes).toBe('Earlier.');

      // The same events as the single-ticket route (so the same audit entries and emails), one
      // unit of work per ticket, caused by the bulk call; nothing for the tickets that failed.
      const recorded = captured.events
        .slice(since)
        .filter((e) => e.event.type === 'ticket.status_changed');
      expect(recorded.map((e) => e.event.resourceId)).toEqual([fresh, working]);
      for (const { event, context } of recorded) {
        expect(event.changes.status).toEqual([expect.any(String), 'resolved']);
        expect(event.details).toMatchObject({ cause: 'bulk', resolution_notes_length: 15 });
        expect(context.actor).toMatchObject({ type: 'user', id: manager.user.id });
      }
      // …which the audit log turns into one entry per changed ticket, by the manager.
      const audited = async (id: string) =>
        (
          await t.http
            .get(`/api/v1/admin/audit-logs?action=ticket.status.update&resource_id=${id}`)
            .set(manager.auth)
            .expect(200)
        ).body.items;
      expect(await audited(fresh)).toEqual([
        expect.objectContaining({
          actor: { type: 'user', id: manager.user.id, role: 'support_manager' },
          changes: { status: ['open', 'resolved'] },
          details: expect.objectContaining({ cause: 'bulk' }),
        }),
      ]);
      expect(await audited(unknown)).toEqual([]);
    });

    it('keeps the single-call rules per ticket: resolving needs notes', async () => {
      const id = await open();
      const res = await bulk({
        ticket_ids: [id],
        action: 'status',
        parameters: { status: 'resolved' },
      }).expect(200);
      expect(res.body).toEqual({
        succeeded: [],
        failed: [
          { id, code: 'VALIDATION_FAILED', message: 'resolution_notes is required when resolving' },
        ],
      });
    });

    it('lets a manager close resolved tickets and reopen closed ones in bulk', async () => {
      const resolved = await open();
      await move(resolved, 'resolved', { resolution_notes: 'Done.' });
      const closedOne = await closed();
      const close = await bulk({
        ticket_ids: [resolved],
        action: 'status',
        parameters: { status: 'closed' },
      }).expect(200);
      expect(close.body.succeeded).toEqual([resolved]);
      const reopen = await bulk({
        ticket_ids: [closedOne],
        action: 'status',
        parameters: { status: 'open' },
      }).expect(200);
      expect(reopen.body.succeeded).toEqual([closedOne]);
      expect((await ticketOf(closedOne)).closed_at).toBeNull();
    });
  });

  describe('assign', () => {
    it('assigns (and unassigns) like PATCH /assignee, refusing closed tickets', async () => {
      const a = await open();
      const b = await open();
      const closedOne = await closed();
      const res = await bulk({
        ticket_ids: [a, b, closedOne],
        action: 'assign',
        parameters: { assignee_id: agent.user.id },
      }).expect(200);
      expect(res.body.succeeded).toEqual([a, b]);
      expect(res.body.failed).toEqual([
        { id: closedOne, code: 'TICKET_CLOSED', message: expect.any(String) },
      ]);
      expect((await ticketOf(a)).assignee).toMatchObject({ id: agent.user.id, name: 'Bulk Agent' });
      const history = await t.http
        .get(`/api/v1/admin/tickets/${a}/assignments`)
        .set(manager.auth)
        .expect(200);
      expect(history.body.items).toHaveLength(1);
      expect(captured.ofType('ticket.assigned', b)).toHaveLength(1);

      await bulk({ ticket_ids: [a], action: 'assign', parameters: { assignee_id: null } }).expect(
        200,
      );
      expect((await ticketOf(a)).assignee).toBeNull();
    });

    it('fails each ticket when the assignee is not active staff', async () => {
      const id = await open();
      const customer = await createCustomer(t);
      const res = await bulk({
        ticket_ids: [id],
        action: 'assign',
        parameters: { assignee_id: customer.user.id },
      }).expect(200);
      expect(res.body.failed).toEqual([
        { id, code: 'VALIDATION_FAILED', message: expect.any(String) },
      ]);
    });
  });

  describe('priority and tags', () => {
    it('changes the priority through the same update as PATCH (event ticket.priority_changed)', async () => {
      const id = await open();
      const res = await bulk({
        ticket_ids: [id],
        action: 'priority',
        parameters: { priority: 'urgent' },
      }).expect(200);
      expect(res.body.succeeded).toEqual([id]);
      expect((await ticketOf(id)).priority).toBe('urgent');
      expect(captured.ofType('ticket.priority_changed', id)[0].event.changes).toEqual({
        priority: ['normal', 'urgent'],
      });
    });

    it('adds tags (normalised, merged with what is there) and removes them', async () => {
      const id = await open();
      await t.http
        .patch(`/api/v1/admin/tickets/${id}`)
        .set(agent.auth)
        .send({ tags: ['vip'] })
        .expect(200);
      await bulk({
        ticket_ids: [id],
        action: 'add_tags',
        parameters: { tags: [' Outage ', 'vip', 'outage'] },
      }).expect(200);
      expect((await ticketOf(id)).tags.sort()).toEqual(['outage', 'vip']);
      await bulk({
        ticket_ids: [id],
        action: 'remove_tags',
        parameters: { tags: ['VIP', 'absent'] },
      }).expect(200);
      expect((await ticketOf(id)).tags).toEqual(['outage']);
      expect(captured.ofType('ticket.updated', id).map((e) => e.event.changes.tags)).toEqual([
        [[], ['vip']],
        [['vip'], ['vip', 'outage']],
        [['vip', 'outage'], ['outage']],
      ]);
    });

    it('fails a ticket whose tags would pass the 20-tag limit, and only that one', async () => {
      const full = await open();
      const roomy = await open();
      const twenty = Array.from({ length: 20 }, (_, i) => `tag-${i}`);
      await t.http
        .patch(`/api/v1/admin/tickets/${full}`)
        .set(agent.auth)
        .send({ tags: twenty })
        .expect(200);
      const res = await bulk({
        ticket_ids: [full, roomy],
        action: 'add_tags',
        parameters: { tags: ['one-more'] },
      }).expect(200);
      expect(res.body.succeeded).toEqual([roomy]);
      expect(res.body.failed).toEqual([
        { id: full, code: 'VALIDATION_FAILED', message: expect.any(String) },
      ]);
    });
  });

  describe('delete (admin)', () => {
    it('soft-deletes like DELETE /admin/tickets/{id}; already deleted ids are NOT_FOUND', async () => {
      const a = await open();
      const b = await open();
      const first = await bulk(
        { ticket_ids: [a, b], action: 'delete', parameters: {} },
        admin,
      ).expect(200);
      expect(first.body).toEqual({ succeeded: [a, b], failed: [] });
      await t.http.get(`/api/v1/admin/tickets/${a}`).set(admin.auth).expect(404);
      const [row] = await t.app
        .get(DataSource)
        .query('SELECT deleted_at FROM ticket WHERE id = $1', [b]);
      expect(row.deleted_at).toBeInstanceOf(Date);
      expect(captured.ofType('ticket.deleted', a)).toHaveLength(1);
      const again = await bulk({ ticket_ids: [a], action: 'delete' }, admin).expect(200);
      expect(again.body.failed).toEqual([
        { id: a, code: 'NOT_FOUND', message: expect.any(String) },
      ]);
    });
  });
});
