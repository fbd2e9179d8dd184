import { getQueueToken } from '@nestjs/bull';
import { JwtService } from '@nestjs/jwt';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { MAGIC_LINKS_QUEUE } from 'src/auth/magic-links.constants';
import { TokenService } from 'src/auth/token.service';
import { UsersService } from 'src/users/users.service';
import {
  createCustomer,
  createStaff,
  createTestApp,
  drainQueue,
  mailsIn,
  TEST_PASSWORD,
  uniqueEmail,
  waitForMails,
  type TestApp,
} from '@helpdesk/testing';

describe('auth (API.md section 3)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const login = (email: string, password: string) =>
    t.http.post('/api/v1/auth/login').send({ email, password });

  describe('POST /auth/login', () => {
    it('signs a staff user in with a token pair and the user', async () => {
      const { user } = await createStaff(t, 'support');
      const res = await login(user.email.toUpperCase(), TEST_PASSWORD).expect(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
      expect(res.body.access_token).toEqual(expect.any(String));
      expect(res.body.refresh_token).toEqual(expect.any(String));
      expect(res.body.user).toEqual({
        id: user.id,
        email: user.email,
        name: user.name,
        role: 'support',
        phone_number: null,
        organization: null,
        is_active: true,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      await t.http
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${res.body.access_token}`)
        .expect(200);
    });

    it('answers 401 INVALID_CREDENTIALS alike for a wrong password and an unknown email', async () => {
      const { user } = await createStaff(t);
      const wrongPassword = await login(user.email, 'not-the-password').expect(401);
      const unknownEmail = await login(uniqueEmail('nobody'), 'whatever-password').expect(401);
      for (const res of [wrongPassword, unknownEmail]) {
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body).toMatchObject({
          status: 401,
          code: 'INVALID_CREDENTIALS',
          title: 'Invalid credentials',
        });
        expect(res.body.type).toBe('https://helpdesk.dev/problems/invalid-credentials');
      }
      expect(wrongPassword.body.detail).toBe(unknownEmail.body.detail);
    });

    it('locks an email for 15 minutes after 5 failures, even with the right password', async () => {
      const { user } = await createStaff(t);
      for (let i = 0; i < 5; i += 1) await login(user.email, 'wrong-password-123').expect(401);
      const locked = await login(user.email, TEST_PASSWORD).expect(429);
      expect(locked.body.code).toBe('RATE_LIMITED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
      expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(900);
    });

    it('counts failures for unknown emails too', async () => {
      const email = uniqueEmail('ghost');
      for (let i = 0; i < 5; i += 1) await login(email, 'wrong-password-123').expect(401);
      await login(email, 'wrong-password-123').expect(429);
    });

    it('resets the failure count after a success', async () => {
      const { user } = await createStaff(t);
      for (let i = 0; i < 4; i += 1) await login(user.email, 'wrong-password-123').expect(401);
      await login(user.email, TEST_PASSWORD).expect(200);
      for (let i = 0; i < 4; i += 1) await login(user.email, 'wrong-password-123').expect(401);
      await login(user.email, TEST_PASSWORD).expect(200);
    });

    it('answers 403 ACCOUNT_DISABLED for a deactivated user with the right password', async () => {
      const admin = await createStaff(t, 'admin');
      const { user } = await createStaff(t);
      await t.http
        .patch(`/api/v1/admin/users/${user.id}`)
        .set(admin.auth)
        .send({ is_active: false })
        .expect(200);
      const res = await login(user.email, TEST_PASSWORD).expect(403);
      expect(res.body.code).toBe('ACCOUNT_DISABLED');
    });

    it('refuses customers (they sign in by magic link)', async () => {
      const { user } = await createCustomer(t);
      await login(user.email, 'any-password-at-all').expect(401);
    });

    it('answers 422 for a missing password and 400 for a body that is not JSON', async () => {
      const missing = await t.http
        .post('/api/v1/auth/login')
        .send({ email: 'a@b.test' })
        .expect(422);
      expect(missing.body.code).toBe('VALIDATION_FAILED');
      expect(missing.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'password' })]),
      );
      const malformed = await t.http
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email": ')
        .expect(400);
      expect(malformed.body.code).toBe('MALFORMED_REQUEST');
      const array = await t.http.post('/api/v1/auth/login').send([1, 2]).expect(400);
      expect(array.body.code).toBe('MALFORMED_REQUEST');
    });
  });

  describe('tokens', () => {
    it('answers 401 TOKEN_EXPIRED for an expired access token', async () => {
      // (Signed here rather than by a second app: passport keeps strategies in a process-wide
      // registry, so a second in-process app would take over the 'jwt' strategy.)
      const { user } = await createStaff(t);
      const expired = await t.app
        .get(JwtService)
        .signAsync({ sub: user.id, sid: user.id, typ: 'access' }, { expiresIn: -10 });
      const res = await t.http
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${expired}`)
        .expect(401);
      expect(res.body.code).toBe('TOKEN_EXPIRED');
    });

    it('answers 401 UNAUTHENTICATED for a forged token', async () => {
      const res = await t.http
        .get('/api/v1/auth/me')
        .set('Authorization', 'Bearer not.a.jwt')
        .expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('stops a deactivated user’s access token at once', async () => {
      const admin = await createStaff(t, 'admin');
      const agent = await createStaff(t);
      await t.http.get('/api/v1/auth/me').set(agent.auth).expect(200);
      await t.http
        .patch(`/api/v1/admin/users/${agent.user.id}`)
        .set(admin.auth)
        .send({ is_active: false })
        .expect(200);
      const res = await t.http.get('/api/v1/auth/me').set(agent.auth).expect(403);
      expect(res.body.code).toBe('ACCOUNT_DISABLED');
    });
  });

  describe('POST /auth/refresh and /auth/logout', () => {
    it('rotates the pair; the old refresh token stops working', async () => {
      const { user } = await createStaff(t);
      const first = (await login(user.email, TEST_PASSWORD).expect(200)).body;
      const second = (
        await t.http
          .post('/api/v1/auth/refresh')
          .send({ refresh_token: first.refresh_token })
          .expect(200)
      ).body;
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(second.user.id).toBe(user.id);
      await t.http
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${second.access_token}`)
        .expect(200);
      const reuse = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: first.refresh_token })
        .expect(401);
      expect(reuse.body.code).toBe('UNAUTHENTICATED');
    });

    it('revokes the whole family when a spent token is replayed', async () => {
      const { user } = await createStaff(t);
      const first = (await login(user.email, TEST_PASSWORD).expect(200)).body;
      const second = (
        await t.http
          .post('/api/v1/auth/refresh')
          .send({ refresh_token: first.refresh_token })
          .expect(200)
      ).body;
      await t.http
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: first.refresh_token })
        .expect(401);
      // The legitimate holder's newer token died with the family.
      await t.http
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: second.refresh_token })
        .expect(401);
    });

    it('answers 401 for garbage refresh tokens', async () => {
      for (const token of ['x', 'a.b', '00000000-0000-0000-0000-000000000000.abc']) {
        await t.http.post('/api/v1/auth/refresh').send({ refresh_token: token }).expect(401);
      }
    });

    it('logout ends that session’s refresh token only', async () => {
      const { user } = await createStaff(t);
      const a = (await login(user.email, TEST_PASSWORD).expect(200)).body;
      const b = (await login(user.email, TEST_PASSWORD).expect(200)).body;
      await t.http
        .post('/api/v1/auth/logout')
        .set('Authorization', `Bearer ${a.access_token}`)
        .expect(204);
      await t.http
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: a.refresh_token })
        .expect(401);
      await t.http
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: b.refresh_token })
        .expect(200);
    });

    it('logout needs a bearer token', async () => {
      await t.http.post('/api/v1/auth/logout').expect(401);
    });
  });

  describe('GET /auth/me', () => {
    it('returns the signed-in user', async () => {
      const agent = await createStaff(t, 'support_manager');
      const res = await t.http.get('/api/v1/auth/me').set(agent.auth).expect(200);
      expect(res.body).toMatchObject({
        id: agent.user.id,
        role: 'support_manager',
        email: agent.user.email,
      });
    });

    it('answers 401 without credentials', async () => {
      const res = await t.http.get('/api/v1/auth/me').expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('magic links', () => {
    // The email goes through the outbox and a queue worker: wait for it to be written.
    const linkTokenFor = async (email: string): Promise<string | undefined> => {
      const mail = (await waitForMails(t.config.mailDir, email)).pop();
      return mail?.match(/sign-in\?token=([A-Za-z0-9_-]+)/)?.[1];
    };

    it('emails an existing customer a single-use link that signs them in', async () => {
      const customer = await createCustomer(t);
      await t.http.post('/api/v1/auth/magic-link').send({ email: customer.user.email }).expect(202);
      const token = await linkTokenFor(customer.user.email);
      expect(token).toBeDefined();
      const res = await t.http.post('/api/v1/auth/magic-link/verify').send({ token }).expect(200);
      expect(res.body.user).toMatchObject({ id: customer.user.id, role: 'customer' });
      await t.http
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${res.body.access_token}`)
        .expect(200);
      const again = await t.http.post('/api/v1/auth/magic-link/verify').send({ token }).expect(401);
      expect(again.body.code).toBe('UNAUTHENTICATED');
    });

    it('answers 202 for unknown emails and staff without sending anything or creating an account', async () => {
      const staff = await createStaff(t);
      const unknown = uniqueEmail('stranger');
      await t.http.post('/api/v1/auth/magic-link').send({ email: unknown }).expect(202);
      await t.http.post('/api/v1/auth/magic-link').send({ email: staff.user.email }).expect(202);
      // The worker has looked both up (the request only enqueues them) ...
      await drainQueue(t.app.get<Queue>(getQueueToken(MAGIC_LINKS_QUEUE)));
      // ... and nothing was even planned (delivery is asynchronous, so the outbox is the proof).
      const planned: unknown[] = await t.app
        .get(DataSource)
        .query('SELECT id FROM notification WHERE lower(recipient) IN (lower($1), lower($2))', [
          unknown,
          staff.user.email,
        ]);
      expect(planned).toHaveLength(0);
      expect(mailsIn(t.config.mailDir, unknown)).toHaveLength(0);
      expect(mailsIn(t.config.mailDir, staff.user.email)).toHaveLength(0);
      expect(await t.app.get(UsersService).findByEmail(unknown)).toBeNull();
    });

    it('refuses unknown and expired tokens', async () => {
      await t.http.post('/api/v1/auth/magic-link/verify').send({ token: 'made-up' }).expect(401);
      const customer = await createCustomer(t);
      await t.http.post('/api/v1/auth/magic-link').send({ email: customer.user.email }).expect(202);
      const token = (await linkTokenFor(customer.user.email))!;
      await t.app
        .get(DataSource)
        .query(
          `UPDATE magic_link_token SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
          [customer.user.id],
        );
      await t.http.post('/api/v1/auth/magic-link/verify').send({ token }).expect(401);
    });
  });

  it('keeps only hashes of refresh tokens', async () => {
    const { user } = await createStaff(t);
    const pair = (await login(user.email, TEST_PASSWORD).expect(200)).body;
    const secret = String(pair.refresh_token).split('.')[1];
    const rows: Array<{ token_hash: string }> = await t.app
      .get(DataSource)
      .query('SELECT token_hash FROM auth_session WHERE user_id = $1', [user.id]);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.token_hash.includes(secret))).toBe(false);
    expect(t.app.get(TokenService)).toBeDefined();
  });
});
