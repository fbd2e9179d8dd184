import { DataSource } from 'typeorm';
import { createStaff, createTestApp, type SignedInUser, type TestApp } from '@helpdesk/testing';

describe('API keys (API.md section 4)', () => {
  let t: TestApp;
  let admin: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createStaff(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  it('creates a key shown once, which then authenticates with its role', async () => {
    const created = await t.http
      .post('/api/v1/admin/api-keys')
      .set(admin.auth)
      .send({ name: 'Shop', role: 'support' })
      .expect(201);
    expect(created.body).toMatchObject({
      name: 'Shop',
      role: 'support',
      id: expect.any(String),
      created_at: expect.any(String),
    });
    expect(created.body.key).toMatch(/^hd_/);
    const me = await t.http.get('/api/v1/auth/me').set('X-API-Key', created.body.key).expect(200);
    expect(me.body).toMatchObject({ id: created.body.id, role: 'support', type: 'api_key' });
    // Acts with its role: a support key may not manage users.
    await t.http.get('/api/v1/admin/users').set('X-API-Key', created.body.key).expect(403);

    const list = await t.http.get('/api/v1/admin/api-keys').set(admin.auth).expect(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty('key');
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
  });

  it('stores only a hash of the key', async () => {
    const created = await t.http
      .post('/api/v1/admin/api-keys')
      .set(admin.auth)
      .send({ name: 'Hash check', role: 'admin' })
      .expect(201);
    const rows: Array<Record<string, unknown>> = await t.app
      .get(DataSource)
      .query('SELECT * FROM api_key WHERE id = $1', [created.body.id]);
    expect(JSON.stringify(rows)).not.toContain(created.body.key);
  });

  it('an admin key can act as an admin', async () => {
    const created = await t.http
      .post('/api/v1/admin/api-keys')
      .set(admin.auth)
      .send({ name: 'Ops', role: 'admin' })
      .expect(201);
    await t.http.get('/api/v1/admin/users').set('X-API-Key', created.body.key).expect(200);
  });

  it('revoking a key stops it at once and hides it from the list', async () => {
    const created = await t.http
      .post('/api/v1/admin/api-keys')
      .set(admin.auth)
      .send({ name: 'Temp', role: 'support' })
      .expect(201);
    await t.http.get('/api/v1/auth/me').set('X-API-Key', created.body.key).expect(200);
    await t.http.delete(`/api/v1/admin/api-keys/${created.body.id}`).set(admin.auth).expect(204);
    const res = await t.http.get('/api/v1/auth/me').set('X-API-Key', created.body.key).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    const list = await t.http.get('/api/v1/admin/api-keys').set(admin.auth).expect(200);
    expect(list.body.items.map((k: { id: string }) => k.id)).not.toContain(created.body.id);
    await t.http.delete(`/api/v1/admin/api-keys/${created.body.id}`).set(admin.auth).expect(404);
  });

  it('answers 401 for an unknown key and 422 for a customer role', async () => {
    await t.http.get('/api/v1/auth/me').set('X-API-Key', 'hd_not-a-real-key').expect(401);
    await t.http.get('/api/v1/auth/me').set('X-API-Key', 'garbage').expect(401);
    const res = await t.http
      .post('/api/v1/admin/api-keys')
      .set(admin.auth)
      .send({ name: 'Bad', role: 'customer' })
      .expect(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('is for admins only', async () => {
    const manager = await createStaff(t, 'support_manager');
    await t.http.get('/api/v1/admin/api-keys').set(manager.auth).expect(403);
    await t.http
      .post('/api/v1/admin/api-keys')
      .set(manager.auth)
      .send({ name: 'x', role: 'support' })
      .expect(403);
  });
});
