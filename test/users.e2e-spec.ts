import {
  createCustomer,
  createStaff,
  createTestApp,
  TEST_PASSWORD,
  uniqueEmail,
  type TestApp,
  type SignedInUser,
} from '@helpdesk/testing';

describe('users (API.md section 4)', () => {
  let t: TestApp;
  let admin: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createStaff(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  const newUser = (overrides: Record<string, unknown> = {}) => ({
    email: uniqueEmail('new'),
    name: 'New Agent',
    role: 'support',
    password: 'a-long-enough-password',
    ...overrides,
  });

  it('creates a staff user who can then sign in', async () => {
    const body = newUser();
    const res = await t.http.post('/api/v1/admin/users').set(admin.auth).send(body).expect(201);
    expect(res.body).toMatchObject({
      email: body.email,
      name: 'New Agent',
      role: 'support',
      is_active: true,
    });
    expect(res.body).not.toHaveProperty('password');
    expect(res.body).not.toHaveProperty('password_hash');
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: body.email, password: body.password })
      .expect(200);
  });

  it('creates 40 users at once (more than the pool has connections): hashing holds no connection', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        t.http.post('/api/v1/admin/users').set(admin.auth).send(newUser()),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
  });

  it('answers 409 EMAIL_TAKEN for a duplicate email in any case', async () => {
    const body = newUser();
    await t.http.post('/api/v1/admin/users').set(admin.auth).send(body).expect(201);
    const res = await t.http
      .post('/api/v1/admin/users')
      .set(admin.auth)
      .send({ ...body, email: body.email.toUpperCase() })
      .expect(409);
    expect(res.body.code).toBe('EMAIL_TAKEN');
  });

  it.each([
    ['a customer role', { role: 'customer' }, 'role'],
    ['a short password', { password: 'short' }, 'password'],
    ['a bad email', { email: 'not-an-email' }, 'email'],
    ['an unknown field', { is_admin: true }, 'is_admin'],
    ['an empty name', { name: '' }, 'name'],
  ])('answers 422 for %s', async (_label, overrides, field) => {
    const res = await t.http
      .post('/api/v1/admin/users')
      .set(admin.auth)
      .send(newUser(overrides))
      .expect(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('lists users with role, q and is_active filters and pagination', async () => {
    const marker = `zeta${Date.now()}`;
    for (let i = 0; i < 3; i += 1) {
      await t.http
        .post('/api/v1/admin/users')
        .set(admin.auth)
        .send(newUser({ name: `${marker} ${i}`, role: 'support_manager' }))
        .expect(201);
    }
    const page = await t.http
      .get(`/api/v1/admin/users?q=${marker}&limit=2&page=1`)
      .set(admin.auth)
      .expect(200);
    expect(page.body).toMatchObject({ total: 3, page: 1, limit: 2, total_pages: 2 });
    expect(page.body.items).toHaveLength(2);
    const second = await t.http
      .get(`/api/v1/admin/users?q=${marker}&limit=2&page=2`)
      .set(admin.auth)
      .expect(200);
    expect(second.body.items).toHaveLength(1);
    const managers = await t.http
      .get(`/api/v1/admin/users?role=support_manager&q=${marker}`)
      .set(admin.auth)
      .expect(200);
    expect(managers.body.total).toBe(3);
    const inactive = await t.http
      .get(`/api/v1/admin/users?is_active=false&q=${marker}`)
      .set(admin.auth)
      .expect(200);
    expect(inactive.body.total).toBe(0);
  });

  it.each([
    ['limit=0'],
    ['limit=201'],
    ['page=0'],
    ['role=boss'],
    ['is_active=maybe'],
    ['limit=abc'],
  ])('answers 422 for the query %s', async (query) => {
    const res = await t.http.get(`/api/v1/admin/users?${query}`).set(admin.auth).expect(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('gets one user, 404 for an unknown id and 422 for a malformed one', async () => {
    const agent = await createStaff(t);
    const res = await t.http
      .get(`/api/v1/admin/users/${agent.user.id}`)
      .set(admin.auth)
      .expect(200);
    expect(res.body.id).toBe(agent.user.id);
    const missing = await t.http
      .get('/api/v1/admin/users/019a0000-0000-7000-8000-000000000000')
      .set(admin.auth)
      .expect(404);
    expect(missing.body.code).toBe('NOT_FOUND');
    const malformed = await t.http
      .get('/api/v1/admin/users/not-a-uuid')
      .set(admin.auth)
      .expect(422);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
  });

  it('updates name, role, activity and password', async () => {
    const agent = await createStaff(t);
    const res = await t.http
      .patch(`/api/v1/admin/users/${agent.user.id}`)
      .set(admin.auth)
      .send({ name: 'Renamed', role: 'support_manager', password: 'another-long-password' })
      .expect(200);
    expect(res.body).toMatchObject({ name: 'Renamed', role: 'support_manager' });
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: agent.user.email, password: TEST_PASSWORD })
      .expect(401);
    const signedIn = await t.http
      .post('/api/v1/auth/login')
      .send({ email: agent.user.email, password: 'another-long-password' })
      .expect(200);
    // A role or password change ends the user's existing sessions at once (issue 21); the new
    // sign-in carries the new role.
    await t.http.get('/api/v1/auth/me').set(agent.auth).expect(401);
    const me = await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${signedIn.body.access_token}`)
      .expect(200);
    expect(me.body.role).toBe('support_manager');
  });

  it('refuses a staff role for a customer account', async () => {
    const customer = await createCustomer(t);
    await t.http
      .patch(`/api/v1/admin/users/${customer.user.id}`)
      .set(admin.auth)
      .send({ role: 'admin' })
      .expect(422);
  });

  it.each(['support', 'support_manager'] as const)('answers 403 to %s', async (role) => {
    const caller = await createStaff(t, role);
    const res = await t.http.get('/api/v1/admin/users').set(caller.auth).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    await t.http.post('/api/v1/admin/users').set(caller.auth).send(newUser()).expect(403);
  });

  it('answers 403 to customers and 401 without credentials', async () => {
    const customer = await createCustomer(t);
    await t.http.get('/api/v1/admin/users').set(customer.auth).expect(403);
    await t.http.get('/api/v1/admin/users').expect(401);
  });
});
