import { DataSource } from 'typeorm';
import {
  allKeys,
  createCustomer,
  createStaff,
  createTestApp,
  CUSTOMER_TICKET_FIELDS,
  INTERNAL_KEYS,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';

describe('customer portal reads (API.md section 5)', () => {
  let t: TestApp;
  let alice: SignedInUser;
  let bob: SignedInUser;
  let manager: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await createCustomer(t);
    bob = await createCustomer(t);
    manager = await createStaff(t, 'support_manager');
  });

  afterAll(async () => {
    await t.close();
  });

  const open = async (who: SignedInUser, subject: string) =>
    (
      await t.http
        .post('/api/v1/tickets')
        .set(who.auth)
        .send({ subject, message: 'hi' })
        .expect(201)
    ).body.ticket.id as string;

  it('lists only the caller’s own tickets, newest first, filtered by status', async () => {
    const a1 = await open(alice, 'alice 1');
    const a2 = await open(alice, 'alice 2');
    await open(bob, 'bob 1');
    await t.http
      .patch(`/api/v1/admin/tickets/${a1}/status`)
      .set(manager.auth)
      .send({ status: 'pending' })
      .expect(200);
    const res = await t.http.get('/api/v1/portal/tickets').set(alice.auth).expect(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([a2, a1]);
    expect(res.body).toMatchObject({ total: 2, page: 1, limit: 50, total_pages: 1 });
    const pending = await t.http
      .get('/api/v1/portal/tickets?status=pending')
      .set(alice.auth)
      .expect(200);
    expect(pending.body.items.map((i: { id: string }) => i.id)).toEqual([a1]);
    await t.http.get('/api/v1/portal/tickets?status=nope').set(alice.auth).expect(422);
  });

  it('answers 404 for another customer’s ticket, never 403', async () => {
    const bobs = await open(bob, 'private');
    const res = await t.http.get(`/api/v1/portal/tickets/${bobs}`).set(alice.auth).expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('shows the customer view with messages and no internal field anywhere', async () => {
    const id = await open(alice, 'detail');
    await t.http
      .patch(`/api/v1/admin/tickets/${id}`)
      .set(manager.auth)
      .send({ tags: ['internal-tag'], custom_fields: { secret_score: 9 }, priority: 'urgent' })
      .expect(200);
    const res = await t.http.get(`/api/v1/portal/tickets/${id}`).set(alice.auth).expect(200);
    expect(res.body.messages).toHaveLength(1);
    expect(res.body.attachments).toEqual([]);
    for (const key of Object.keys(res.body)) expect(CUSTOMER_TICKET_FIELDS).toContain(key);
    const keys = allKeys(res.body);
    for (const key of INTERNAL_KEYS) expect(keys.has(key)).toBe(false);
    expect(JSON.stringify(res.body)).not.toContain('internal-tag');
    expect(JSON.stringify(res.body)).not.toContain('secret_score');
    const list = await t.http.get('/api/v1/portal/tickets').set(alice.auth).expect(200);
    for (const key of INTERNAL_KEYS) expect(allKeys(list.body).has(key)).toBe(false);
  });

  it('keeps staff out of the customer list and customers out of staff routes', async () => {
    await t.http.get('/api/v1/portal/tickets').set(manager.auth).expect(403);
    await t.http.get('/api/v1/admin/tickets').set(alice.auth).expect(403);
    await t.http.get('/api/v1/portal/tickets').expect(401);
  });

  it('shows an assigned agent only by display name', async () => {
    const id = await open(alice, 'assigned');
    const agent = await createStaff(t, 'support', { name: 'Grace Agent' });
    await t.app
      .get(DataSource)
      .query('UPDATE ticket SET assignee_id = $1 WHERE id = $2', [agent.user.id, id]);
    const res = await t.http.get(`/api/v1/portal/tickets/${id}`).set(alice.auth).expect(200);
    expect(res.body.agent_name).toBe('Grace Agent');
    expect(JSON.stringify(res.body)).not.toContain(agent.user.id);
    expect(JSON.stringify(res.body)).not.toContain(agent.user.email);
  });
});
