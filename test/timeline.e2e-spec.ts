import {
  createCustomer,
  createStaff,
  createTestApp,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';

describe('GET /api/v1/admin/tickets/{id}/timeline (API.md section 6)', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let manager: SignedInUser;
  let customer: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    agent = await createStaff(t, 'support', { name: 'Grace Timeline' });
    manager = await createStaff(t, 'support_manager');
    customer = await createCustomer(t, { name: 'Ada Timeline' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('summarises the ticket’s history and lists its audit entries oldest first', async () => {
    const created = await t.http
      .post('/api/v1/tickets')
      .set(customer.auth)
      .send({ subject: 'Timeline', message: 'x' })
      .expect(201);
    const id = created.body.ticket.id;
    await t.http
      .patch(`/api/v1/admin/tickets/${id}/assignee`)
      .set(manager.auth)
      .send({ assignee_id: agent.user.id })
      .expect(200);
    await t.http
      .post(`/api/v1/admin/tickets/${id}/replies`)
      .set(agent.auth)
      .send({ body: 'first' })
      .expect(201);
    await t.http
      .post(`/api/v1/portal/tickets/${id}/messages`)
      .set(customer.auth)
      .send({ body: 'thanks' })
      .expect(201);
    await t.http
      .post(`/api/v1/admin/tickets/${id}/replies`)
      .set(agent.auth)
      .send({ body: 'second', status: 'resolved' })
      .expect(201);

    const res = await t.http
      .get(`/api/v1/admin/tickets/${id}/timeline`)
      .set(agent.auth)
      .expect(200);
    expect(res.body.summary).toMatch(
      /^Opened by Ada Timeline via web on \d{4}-\d\d-\d\d \d\d:\d\d UTC; assigned to Grace Timeline;/,
    );
    expect(res.body.summary).toContain('replied 2 times');
    expect(res.body.summary).toContain('the customer wrote 1 time');
    expect(res.body.summary).toMatch(/resolved on /);
    const actions = res.body.events.map((e: { action: string }) => e.action);
    expect(actions[0]).toBe('ticket.create');
    expect(actions).toEqual(
      expect.arrayContaining([
        'ticket.assignee.update',
        'ticket.reply',
        'ticket.customer_reply',
        'ticket.status.update',
      ]),
    );
    const times = res.body.events.map((e: { occurred_at: string }) => e.occurred_at);
    expect([...times].sort()).toEqual(times);
    expect(JSON.stringify(res.body)).not.toContain('second'); // bodies never reach the audit log
  });

  it('is staff-only and 404 for unknown tickets', async () => {
    await t.http
      .get('/api/v1/admin/tickets/019a0000-0000-7000-8000-000000000000/timeline')
      .set(agent.auth)
      .expect(404);
    await t.http
      .get('/api/v1/admin/tickets/019a0000-0000-7000-8000-000000000000/timeline')
      .set(customer.auth)
      .expect(403);
  });
});
