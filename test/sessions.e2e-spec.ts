import { createStaff, createTestApp, TEST_PASSWORD, type TestApp } from '@helpdesk/testing';

// Issue 21 (High): a password change, a role change or deactivation ends every other session of
// that user; logout and refresh-token reuse end access tokens at once; other API processes see
// a revocation within SESSION_CHECK_CACHE_MS (test/resilience/sessions.spec.ts: two processes).
describe('sessions end when they should', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  interface Pair {
    access: string;
    refresh: string;
  }

  const signIn = async (app: TestApp, email: string, password = TEST_PASSWORD): Promise<Pair> => {
    const res = await app.http.post('/api/v1/auth/login').send({ email, password }).expect(200);
    return { access: res.body.access_token, refresh: res.body.refresh_token };
  };
  const me = (app: TestApp, access: string) =>
    app.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${access}`);
  const refresh = (refreshToken: string) =>
    t.http.post('/api/v1/auth/refresh').send({ refresh_token: refreshToken });

  it('an admin password reset ends the user’s refresh token and access token at once', async () => {
    const admin = await createStaff(t, 'admin');
    const { user } = await createStaff(t, 'support');
    const session = await signIn(t, user.email);
    await me(t, session.access).expect(200);

    await t.http
      .patch(`/api/v1/admin/users/${user.id}`)
      .set(admin.auth)
      .send({ password: 'a-brand-new-password-456' })
      .expect(200);

    expect((await refresh(session.refresh)).status).toBe(401);
    const res = await me(t, session.access).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    // The new password opens a new session.
    await me(t, (await signIn(t, user.email, 'a-brand-new-password-456')).access).expect(200);
  });

  it('a role change ends every session of that user', async () => {
    const admin = await createStaff(t, 'admin');
    const { user } = await createStaff(t, 'support_manager');
    const first = await signIn(t, user.email);
    const second = await signIn(t, user.email);

    await t.http
      .patch(`/api/v1/admin/users/${user.id}`)
      .set(admin.auth)
      .send({ role: 'support' })
      .expect(200);

    for (const session of [first, second]) {
      await me(t, session.access).expect(401);
      expect((await refresh(session.refresh)).status).toBe(401);
    }
  });

  it('deactivation revokes the sessions: reactivating does not bring them back', async () => {
    const admin = await createStaff(t, 'admin');
    const { user } = await createStaff(t, 'support');
    const session = await signIn(t, user.email);
    const patch = (body: object) =>
      t.http.patch(`/api/v1/admin/users/${user.id}`).set(admin.auth).send(body).expect(200);

    await patch({ is_active: false });
    await patch({ is_active: true });

    expect((await refresh(session.refresh)).status).toBe(401);
    await me(t, session.access).expect(401);
  });

  it('changing one’s own password keeps that session and ends every other one', async () => {
    const admin = await createStaff(t, 'admin');
    const current = await signIn(t, admin.user.email);
    const elsewhere = await signIn(t, admin.user.email);

    await t.http
      .patch(`/api/v1/admin/users/${admin.user.id}`)
      .set('Authorization', `Bearer ${current.access}`)
      .send({ password: 'my-own-new-password-789' })
      .expect(200);

    await me(t, current.access).expect(200);
    expect((await refresh(current.refresh)).status).toBe(200);
    await me(t, elsewhere.access).expect(401);
    expect((await refresh(elsewhere.refresh)).status).toBe(401);
  });

  it('logout ends the access token at once, not when it expires', async () => {
    const { user } = await createStaff(t, 'support');
    const session = await signIn(t, user.email);
    const other = await signIn(t, user.email);
    await t.http
      .post('/api/v1/auth/logout')
      .set('Authorization', `Bearer ${session.access}`)
      .expect(204);

    await me(t, session.access).expect(401);
    await me(t, other.access).expect(200); // another session of the same user lives on
  });

  it('refresh-token reuse ends the family’s current access token too', async () => {
    const { user } = await createStaff(t, 'support');
    const first = await signIn(t, user.email);
    const rotated = (await refresh(first.refresh).expect(200)).body as { access_token: string };
    await me(t, rotated.access_token).expect(200);

    expect((await refresh(first.refresh)).status).toBe(401); // the replay
    await me(t, rotated.access_token).expect(401);
  });
});
