import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  allKeys,
  captureDomainEvents,
  createStaff,
  createTestApp,
  openPublicTicket,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';

describe('escalation POST /api/v1/admin/tickets/{id}/escalate (API.md section 6)', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let manager: SignedInUser;
  let admin: SignedInUser;
  let captured: ReturnType<typeof captureDomainEvents>;

  beforeAll(async () => {
    t = await createTestApp();
    agent = await createStaff(t, 'support');
    manager = await createStaff(t, 'support_manager');
    admin = await createStaff(t, 'admin');
    captured = captureDomainEvents(t);
  });

  afterAll(async () => {
    await t.close();
  });

  const escalate = (id: string, body: Record<string, unknown>, who: SignedInUser = manager) =>
    t.http.post(`/api/v1/admin/tickets/${id}/escalate`).set(who.auth).send(body);

  it('flags the ticket, keeps reason and time, answers the StaffTicket with its ETag', async () => {
    const ticket = await openPublicTicket(t);
    const before = Date.now();
    const res = await escalate(ticket.id, {
      reason: '  Key account, waiting three days.  ',
      notify_email: 'account-manager@example.com',
    }).expect(200);
    expect(res.body).toMatchObject({ id: ticket.id, escalated: true, version: 2 });
    expect(res.headers.etag).toBe('"2"');

    const [row] = await t.app
      .get(DataSource)
      .query('SELECT escalated, escalation_reason, escalated_at FROM ticket WHERE id = $1', [
        ticket.id,
      ]);
    expect(row.escalated).toBe(true);
    expect(row.escalation_reason).toBe('Key account, waiting three days.');
    expect(row.escalated_at.getTime()).toBeGreaterThanOrEqual(before - 1000);

    const detail = await t.http
      .get(`/api/v1/admin/tickets/${ticket.id}`)
      .set(agent.auth)
      .expect(200);
    expect(detail.body.escalation).toEqual({
      reason: 'Key account, waiting three days.',
      escalated_at: row.escalated_at.toISOString(),
    });
  });

  it('records ticket.escalated for the notifications and audit consumers (no reason text)', async () => {
    const ticket = await openPublicTicket(t);
    await escalate(ticket.id, { reason: 'Angry', notify_email: 'boss@example.com' }).expect(200);
    const [{ event, context }] = captured.ofType('ticket.escalated', ticket.id);
    expect(event.resourceType).toBe('ticket');
    expect(event.changes).toEqual({ escalated: [false, true] });
    expect(event.details).toEqual({
      reason_length: 5,
      notify_email: 'boss@example.com',
      re_escalation: false,
    });
    expect(JSON.stringify(event.details)).not.toContain('Angry');
    expect(context.actor).toMatchObject({ id: manager.user.id, role: 'support_manager' });

    const audit = await t.http
      .get(`/api/v1/admin/audit-logs?action=ticket.escalate&resource_id=${ticket.id}`)
      .set(manager.auth)
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'ticket.escalate',
        resource_type: 'ticket',
        actor: { type: 'user', id: manager.user.id, role: 'support_manager' },
        details: expect.objectContaining({ reason_length: 5, notify_email: 'boss@example.com' }),
      }),
    ]);
  });

  it('allows escalating again: the new reason replaces the old one and notifies again', async () => {
    const ticket = await openPublicTicket(t);
    await escalate(ticket.id, { reason: 'First' }).expect(200);
    await escalate(ticket.id, { reason: 'Worse now' }, admin).expect(200);
    const events = captured.ofType('ticket.escalated', ticket.id);
    expect(events.map((e) => e.event.details)).toEqual([
      { reason_length: 5, notify_email: null, re_escalation: false },
      { reason_length: 9, notify_email: null, re_escalation: true },
    ]);
    const detail = await t.http
      .get(`/api/v1/admin/tickets/${ticket.id}`)
      .set(admin.auth)
      .expect(200);
    expect(detail.body.escalation.reason).toBe('Worse now');
  });

  it('answers 409 TICKET_CLOSED on a closed ticket, changing nothing', async () => {
    const ticket = await openPublicTicket(t);
    for (const [status, extra] of [
      ['resolved', { resolution_notes: 'Done' }],
      ['closed', {}],
    ] as const) {
      await t.http
        .patch(`/api/v1/admin/tickets/${ticket.id}/status`)
        .set(manager.auth)
        .send({ status, ...extra })
        .expect(200);
    }
    const res = await escalate(ticket.id, { reason: 'Too late' }).expect(409);
    expect(res.body.code).toBe('TICKET_CLOSED');
    expect(captured.ofType('ticket.escalated', ticket.id)).toEqual([]);
  });

  it('is for support_manager and above: support gets 403', async () => {
    const ticket = await openPublicTicket(t);
    const res = await escalate(ticket.id, { reason: 'Please' }, agent).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('answers 404 for an unknown ticket and 412 for a stale If-Match', async () => {
    await escalate(randomUUID(), { reason: 'x' }).expect(404);
    const ticket = await openPublicTicket(t);
    await t.http
      .post(`/api/v1/admin/tickets/${ticket.id}/escalate`)
      .set(manager.auth)
      .set('If-Match', '"7"')
      .send({ reason: 'x' })
      .expect(412);
  });

  it.each([
    ['no reason', {}],
    ['a blank reason', { reason: '   ' }],
    ['a reason over 2000 characters', { reason: 'x'.repeat(2001) }],
    ['a bad notify_email', { reason: 'x', notify_email: 'not-an-email' }],
    ['an unknown field', { reason: 'x', urgent: true }],
  ])('answers 422 for %s', async (_, body) => {
    const ticket = await openPublicTicket(t);
    const res = await escalate(ticket.id, body).expect(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('never shows the escalation to the customer', async () => {
    const ticket = await openPublicTicket(t);
    await escalate(ticket.id, { reason: 'Internal only' }).expect(200);
    const res = await t.http
      .get(`/api/v1/portal/tickets/${ticket.id}`)
      .set('X-Ticket-Token', ticket.accessToken)
      .expect(200);
    const keys = allKeys(res.body);
    for (const key of ['escalated', 'escalation', 'escalation_reason', 'escalated_at'])
      expect(keys.has(key)).toBe(false);
    expect(JSON.stringify(res.body)).not.toContain('Internal only');
  });
});
