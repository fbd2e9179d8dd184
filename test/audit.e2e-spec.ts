import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { uuidv7 } from '@helpdesk/common';
import { AuditService } from 'src/audit/audit.service';
import {
  createCustomer,
  createStaff,
  createTestApp,
  waitForMails,
  TEST_PASSWORD,
  uniqueEmail,
  type SignedInUser,
  type TestApp,
} from '@helpdesk/testing';

interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  changes: Record<string, unknown>;
  details: Record<string, unknown>;
  chain_key: string;
  chain_seq: string;
  prev_hash: string | null;
  hash: string;
  key_id: string;
}

describe('audit log (API.md section 8)', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await createStaff(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  /** The entries about one resource, in chain order, straight from the table. */
  const entriesAbout = (resourceId: string, action?: string): Promise<AuditRow[]> =>
    db.query(
      `SELECT * FROM audit_log WHERE resource_id = $1 AND ($2::text IS NULL OR action = $2)
       ORDER BY chain_key, chain_seq`,
      [resourceId, action ?? null],
    );

  const countAll = async (): Promise<number> =>
    Number((await db.query(`SELECT count(*) AS n FROM audit_log`))[0].n);

  const newUserBody = (overrides: Record<string, unknown> = {}) => ({
    email: uniqueEmail('audited'),
    name: 'Audited Agent',
    role: 'support',
    password: 'a-long-enough-password',
    ...overrides,
  });

  const createUser = async (overrides: Record<string, unknown> = {}) => {
    const body = newUserBody(overrides);
    const res = await t.http.post('/api/v1/admin/users').set(admin.auth).send(body).expect(201);
    return { ...body, id: res.body.id as string };
  };

  const verify = async () =>
    (await t.http.get('/api/v1/admin/audit-logs/verify').set(admin.auth).expect(200)).body;

  /**
   * Runs SQL in a superuser session of its own with the append-only trigger switched off
   * (session_replication_role = replica), as someone tampering with the table would.
   */
  const behindTheTriggersBack = async (
    work: (query: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<void>,
  ) => {
    const session = new Client({ connectionString: t.config.databaseUrl });
    await session.connect();
    try {
      await session.query(`SET session_replication_role = replica`);
      await work((sql, params) => session.query(sql, params));
    } finally {
      await session.end();
    }
  };

  describe('what each action records', () => {
    it('user.create: one entry by the acting admin, with where the request came from', async () => {
      const body = newUserBody();
      const res = await t.http
        .post('/api/v1/admin/users')
        .set(admin.auth)
        .set('User-Agent', 'audit-e2e/1.0')
        .set('X-Request-Id', 'req-audit-user-create')
        .send(body)
        .expect(201);
      const entries = await entriesAbout(res.body.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        action: 'user.create',
        actor_type: 'user',
        actor_id: admin.user.id,
        actor_role: 'admin',
        resource_type: 'user',
        resource_id: res.body.id,
        request_id: 'req-audit-user-create',
        ip: expect.stringMatching(/127\.0\.0\.1|::1/),
        user_agent: 'audit-e2e/1.0',
        changes: { role: [null, 'support'], email: [null, body.email] },
        chain_key: `user:${res.body.id}`,
        chain_seq: '1',
        prev_hash: null,
      });
      expect(entries[0].hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('user.update: one entry with {field: [old, new]}, a password change masked', async () => {
      const user = await createUser();
      await t.http
        .patch(`/api/v1/admin/users/${user.id}`)
        .set(admin.auth)
        .send({ name: 'Renamed Agent', role: 'support_manager', password: 'another-long-password' })
        .expect(200);
      const entries = await entriesAbout(user.id, 'user.update');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor_type: 'user',
        actor_id: admin.user.id,
        actor_role: 'admin',
        changes: {
          name: ['Audited Agent', 'Renamed Agent'],
          role: ['support', 'support_manager'],
          password: ['***', '***'],
        },
        chain_seq: '2',
      });
      const [created] = await entriesAbout(user.id, 'user.create');
      expect(entries[0].prev_hash).toBe(created.hash);
    });

    it('records nothing for a PATCH that changes nothing', async () => {
      const user = await createUser();
      await t.http
        .patch(`/api/v1/admin/users/${user.id}`)
        .set(admin.auth)
        .send({ name: user.name })
        .expect(200);
      expect(await entriesAbout(user.id, 'user.update')).toHaveLength(0);
    });

    it('auth.login: one entry by the user who signed in', async () => {
      const { user } = await createStaff(t, 'support_manager');
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      const entries = await entriesAbout(user.id, 'auth.login');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor_type: 'user',
        actor_id: user.id,
        actor_role: 'support_manager',
        resource_type: 'user',
        details: { method: 'password' },
      });
    });

    it('auth.login by magic link: one entry by the customer', async () => {
      const customer = await createCustomer(t);
      await t.http.post('/api/v1/auth/magic-link').send({ email: customer.user.email }).expect(202);
      const mail = (await waitForMails(t.config.mailDir, customer.user.email)).pop();
      const token = mail?.match(/sign-in\?token=([A-Za-z0-9_-]+)/)?.[1];
      await t.http.post('/api/v1/auth/magic-link/verify').send({ token }).expect(200);
      const entries = await entriesAbout(customer.user.id, 'auth.login');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor_type: 'user',
        actor_id: customer.user.id,
        actor_role: 'customer',
        details: { method: 'magic_link' },
      });
    });

    it('auth.login_failed: one entry per failure, by an anonymous caller, even though it answers 401', async () => {
      const { user } = await createStaff(t);
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'not-the-password' })
        .expect(401);
      const entries = await entriesAbout(user.id, 'auth.login_failed');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor_type: 'user',
        actor_id: null,
        actor_role: null,
        resource_type: 'user',
        details: { email: user.email, reason: 'invalid_credentials' },
        request_id: expect.any(String),
      });

      const unknown = uniqueEmail('nobody');
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: unknown, password: 'whatever-password' })
        .expect(401);
      const rows: AuditRow[] = await db.query(
        `SELECT * FROM audit_log WHERE action = 'auth.login_failed' AND details->>'email' = $1`,
        [unknown],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ resource_id: null, chain_key: 'user:-' });
    });

    it('api_key.create and api_key.revoke: one entry each, without the key', async () => {
      const created = await t.http
        .post('/api/v1/admin/api-keys')
        .set(admin.auth)
        .send({ name: 'Audited key', role: 'support' })
        .expect(201);
      await t.http.delete(`/api/v1/admin/api-keys/${created.body.id}`).set(admin.auth).expect(204);
      const entries = await entriesAbout(created.body.id);
      expect(entries.map((e) => e.action)).toEqual(['api_key.create', 'api_key.revoke']);
      expect(entries[0]).toMatchObject({
        actor_type: 'user',
        actor_id: admin.user.id,
        resource_type: 'api_key',
        details: { name: 'Audited key', role: 'support' },
      });
      expect(entries[1]).toMatchObject({ actor_id: admin.user.id, prev_hash: entries[0].hash });
      expect(JSON.stringify(entries)).not.toContain(created.body.key);
    });

    it('attributes a mutation made with an admin API key to that key', async () => {
      const created = await t.http
        .post('/api/v1/admin/api-keys')
        .set(admin.auth)
        .send({ name: 'Provisioning', role: 'admin' })
        .expect(201);
      const res = await t.http
        .post('/api/v1/admin/users')
        .set('X-API-Key', created.body.key)
        .send(newUserBody())
        .expect(201);
      const entries = await entriesAbout(res.body.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        action: 'user.create',
        actor_type: 'api_key',
        actor_id: created.body.id,
        actor_role: 'admin',
      });
    });
  });

  describe('what is not recorded', () => {
    it('answers 422, 403, 404 and 409 without writing any entry', async () => {
      const existing = await createUser();
      const support = await createStaff(t, 'support');
      const before = await countAll();

      await t.http
        .post('/api/v1/admin/users')
        .set(admin.auth)
        .send(newUserBody({ password: 'short' }))
        .expect(422);
      await t.http
        .patch(`/api/v1/admin/users/${existing.id}`)
        .set(admin.auth)
        .send({ name: 'x', is_admin: true })
        .expect(422);
      await t.http
        .patch(`/api/v1/admin/users/${existing.id}`)
        .set(support.auth)
        .send({ name: 'Forbidden rename' })
        .expect(403);
      await t.http
        .post('/api/v1/admin/api-keys')
        .set(support.auth)
        .send({ name: 'Nope', role: 'admin' })
        .expect(403);
      await t.http
        .patch('/api/v1/admin/users/019a0000-0000-7000-8000-000000000000')
        .set(admin.auth)
        .send({ name: 'Nobody' })
        .expect(404);
      const duplicate = await t.http
        .post('/api/v1/admin/users')
        .set(admin.auth)
        .send(newUserBody({ email: existing.email.toUpperCase() }))
        .expect(409);
      expect(duplicate.body.code).toBe('EMAIL_TAKEN');

      expect(await countAll()).toBe(before);
    });

    it('never stores a password, an API key or a token', async () => {
      const marker = `pw-marker-${Date.now()}`;
      const user = await createUser({ password: `${marker}-created` });
      await t.http
        .patch(`/api/v1/admin/users/${user.id}`)
        .set(admin.auth)
        .send({ password: `${marker}-changed` })
        .expect(200);
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: `${marker}-wrong` })
        .expect(401);
      const signedIn = await t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: `${marker}-changed` })
        .expect(200);
      const key = await t.http
        .post('/api/v1/admin/api-keys')
        .set(admin.auth)
        .send({ name: 'Marker key', role: 'support' })
        .expect(201);

      const rows: AuditRow[] = await db.query(`SELECT * FROM audit_log`);
      const everything = JSON.stringify(rows);
      expect(everything).not.toContain(marker);
      expect(everything).not.toContain(key.body.key);
      expect(everything).not.toContain(signedIn.body.access_token);
      expect(everything).not.toContain(signedIn.body.refresh_token);
      // The scan did look at this user's entries.
      expect((await entriesAbout(user.id)).map((e) => e.action)).toEqual([
        'user.create',
        'user.update',
        'auth.login_failed',
        'auth.login',
      ]);
    });
  });

  describe('GET /admin/audit-logs', () => {
    it('answers items in the contract shape, newest first, filtered and paginated', async () => {
      const actor = await createStaff(t, 'admin');
      const target = await createUser();
      for (const name of ['First', 'Second', 'Third']) {
        await t.http
          .patch(`/api/v1/admin/users/${target.id}`)
          .set(actor.auth)
          .send({ name })
          .expect(200);
      }
      const manager = await createStaff(t, 'support_manager');
      const byActor = await t.http
        .get(`/api/v1/admin/audit-logs?actor_id=${actor.user.id}`)
        .set(manager.auth)
        .expect(200);
      expect(byActor.body).toMatchObject({ total: 3, page: 1, limit: 50, total_pages: 1 });
      expect(
        byActor.body.items.map((i: { changes: { name: string[] } }) => i.changes.name[1]),
      ).toEqual(['Third', 'Second', 'First']);
      const item = byActor.body.items[0];
      expect(item).toEqual({
        id: expect.any(String),
        occurred_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        actor: { type: 'user', id: actor.user.id, role: 'admin' },
        action: 'user.update',
        resource_type: 'user',
        resource_id: target.id,
        request_id: expect.any(String),
        ip: expect.any(String),
        user_agent: null,
        changes: { name: ['Second', 'Third'] },
        details: {},
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });

      const secondPage = await t.http
        .get(`/api/v1/admin/audit-logs?actor_id=${actor.user.id}&limit=2&page=2`)
        .set(manager.auth)
        .expect(200);
      expect(secondPage.body).toMatchObject({ total: 3, page: 2, limit: 2, total_pages: 2 });
      expect(secondPage.body.items.map((i: { id: string }) => i.id)).toEqual([
        byActor.body.items[2].id,
      ]);

      const byResource = await t.http
        .get(`/api/v1/admin/audit-logs?resource_type=user&resource_id=${target.id}`)
        .set(manager.auth)
        .expect(200);
      expect(byResource.body.items.map((i: { action: string }) => i.action)).toEqual([
        'user.update',
        'user.update',
        'user.update',
        'user.create',
      ]);

      const byAction = await t.http
        .get(`/api/v1/admin/audit-logs?action=user.create&resource_id=${target.id}`)
        .set(manager.auth)
        .expect(200);
      expect(byAction.body.total).toBe(1);
      const otherType = await t.http
        .get(`/api/v1/admin/audit-logs?resource_type=api_key&resource_id=${target.id}`)
        .set(manager.auth)
        .expect(200);
      expect(otherType.body.total).toBe(0);

      const middle = byActor.body.items[1].occurred_at as string;
      const window = await t.http
        .get(`/api/v1/admin/audit-logs`)
        .query({ actor_id: actor.user.id, from: middle, to: middle })
        .set(manager.auth)
        .expect(200);
      expect(window.body.items.map((i: { id: string }) => i.id)).toEqual([
        byActor.body.items[1].id,
      ]);
      const since = await t.http
        .get(`/api/v1/admin/audit-logs`)
        .query({ actor_id: actor.user.id, from: middle })
        .set(manager.auth)
        .expect(200);
      expect(since.body.total).toBe(2);
      const until = await t.http
        .get(`/api/v1/admin/audit-logs`)
        .query({ actor_id: actor.user.id, to: middle })
        .set(manager.auth)
        .expect(200);
      expect(until.body.total).toBe(2);
    });

    it.each([
      ['actor_id=not-a-uuid'],
      ['action=ticket.explode'],
      ['resource_type=Not%20A%20Type'],
      ['from=yesterday'],
      ['to=2026-13-01T00:00:00Z'],
      ['from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z'],
      ['limit=0'],
      ['limit=201'],
      ['page=0'],
      ['color=blue'],
    ])('answers 422 for the query %s', async (query) => {
      const res = await t.http.get(`/api/v1/admin/audit-logs?${query}`).set(admin.auth).expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('is for support managers and admins; verify is for admins only', async () => {
      const support = await createStaff(t, 'support');
      const manager = await createStaff(t, 'support_manager');
      const customer = await createCustomer(t);
      await t.http.get('/api/v1/admin/audit-logs').expect(401);
      await t.http.get('/api/v1/admin/audit-logs').set(customer.auth).expect(403);
      const res = await t.http.get('/api/v1/admin/audit-logs').set(support.auth).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      await t.http.get('/api/v1/admin/audit-logs').set(manager.auth).expect(200);
      await t.http.get('/api/v1/admin/audit-logs').set(admin.auth).expect(200);
      await t.http.get('/api/v1/admin/audit-logs/verify').set(support.auth).expect(403);
      await t.http.get('/api/v1/admin/audit-logs/verify').set(manager.auth).expect(403);
      await t.http.get('/api/v1/admin/audit-logs/verify').set(admin.auth).expect(200);
    });
  });

  describe('AuditService.entriesForResource', () => {
    it("gives a resource's entries oldest first", async () => {
      const user = await createUser();
      await t.http
        .patch(`/api/v1/admin/users/${user.id}`)
        .set(admin.auth)
        .send({ is_active: false })
        .expect(200);
      const entries = await t.app.get(AuditService).entriesForResource('user', user.id);
      expect(entries.map((e) => [e.action, e.chainSeq])).toEqual([
        ['user.create', 1],
        ['user.update', 2],
      ]);
      expect(entries[1].changes).toEqual({ is_active: [true, false] });
    });
  });

  describe('tamper evidence', () => {
    it('verifies an untouched log, counting every entry', async () => {
      expect(await verify()).toEqual({ valid: true, checked: await countAll() });
    });

    it('refuses UPDATE, DELETE and TRUNCATE', async () => {
      // A plain session (triggers on), outside TypeORM so the refusals are not logged as errors.
      const session = new Client({ connectionString: t.config.databaseUrl });
      await session.connect();
      try {
        const { rows } = await session.query<{ id: string }>(`SELECT id FROM audit_log LIMIT 1`);
        const id = rows[0].id;
        await expect(
          session.query(`UPDATE audit_log SET ip = '10.0.0.1' WHERE id = $1`, [id]),
        ).rejects.toThrow(/append-only: UPDATE/);
        await expect(session.query(`DELETE FROM audit_log WHERE id = $1`, [id])).rejects.toThrow(
          /append-only: DELETE/,
        );
        await expect(session.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only: TRUNCATE/);
        expect((await session.query(`SELECT ip FROM audit_log WHERE id = $1`, [id])).rows).toEqual([
          { ip: expect.not.stringMatching(/^10\.0\.0\.1$/) },
        ]);
      } finally {
        await session.end();
      }
    });

    it('reports an entry edited behind the trigger’s back, and is valid again once it is restored', async () => {
      const user = await createUser();
      await t.http
        .patch(`/api/v1/admin/users/${user.id}`)
        .set(admin.auth)
        .send({ name: 'Honest name' })
        .expect(200);
      await t.http
        .patch(`/api/v1/admin/users/${user.id}`)
        .set(admin.auth)
        .send({ name: 'Later name' })
        .expect(200);
      const [edited] = await entriesAbout(user.id, 'user.update');
      await behindTheTriggersBack((query) =>
        query(`UPDATE audit_log SET changes = $2::jsonb WHERE id = $1`, [
          edited.id,
          JSON.stringify({ name: ['Audited Agent', 'Forged name'] }),
        ]).then(() => undefined),
      );
      try {
        expect(await verify()).toMatchObject({
          valid: false,
          first_invalid_id: edited.id,
          reason: 'hash_mismatch',
          invalid_count: 1,
        });
      } finally {
        await behindTheTriggersBack((query) =>
          query(`UPDATE audit_log SET changes = $2::jsonb WHERE id = $1`, [
            edited.id,
            JSON.stringify(edited.changes),
          ]).then(() => undefined),
        );
      }
      expect(await verify()).toMatchObject({ valid: true });
    });

    it('reports the entry after one deleted behind the trigger’s back', async () => {
      const user = await createUser();
      await t.http
        .patch(`/api/v1/admin/users/${user.id}`)
        .set(admin.auth)
        .send({ name: 'Renamed once' })
        .expect(200);
      const [created, updated] = await entriesAbout(user.id);
      await behindTheTriggersBack(async (query) => {
        await query(`CREATE TEMP TABLE removed_entry AS SELECT * FROM audit_log WHERE id = $1`, [
          created.id,
        ]);
        await query(`DELETE FROM audit_log WHERE id = $1`, [created.id]);
        try {
          expect(await verify()).toMatchObject({
            valid: false,
            first_invalid_id: updated.id,
            reason: 'sequence_gap',
          });
        } finally {
          await query(`INSERT INTO audit_log SELECT * FROM removed_entry`);
          await query(`DROP TABLE removed_entry`);
        }
      });
      expect(await verify()).toMatchObject({ valid: true });
    });
  });

  describe('concurrency', () => {
    // 70 requests at once: allow for a loaded machine.
    const SLOW = 60_000;

    it(
      'keeps every chain valid under 50 concurrent audited writes on different resources',
      async () => {
        // The users are inserted directly: creating 50 through the API would spend the test
        // hashing passwords. The concurrent audited writes under test are the PATCHes.
        const ids: string[] = Array.from({ length: 50 }, () => uuidv7());
        await db.query(
          `INSERT INTO app_user (id, email, email_normalized, name, role)
           SELECT id, e, e, 'Concurrent', 'support'
           FROM unnest($1::uuid[]) AS id, LATERAL (SELECT 'concurrent.' || id || '@example.test') AS x(e)`,
          [ids],
        );

        const renamed = await Promise.all(
          ids.map((id, i) =>
            t.http
              .patch(`/api/v1/admin/users/${id}`)
              .set(admin.auth)
              .send({ name: `Concurrent ${i} renamed` }),
          ),
        );
        expect(renamed.map((r) => r.status)).toEqual(ids.map(() => 200));

        const chains: Array<{ resource_id: string; actions: string[]; seqs: string[] }> =
          await db.query(
            `SELECT resource_id, array_agg(action ORDER BY chain_seq) AS actions,
                    array_agg(chain_seq ORDER BY chain_seq) AS seqs
             FROM audit_log WHERE resource_id = ANY($1) GROUP BY resource_id`,
            [ids],
          );
        expect(chains).toHaveLength(50);
        for (const chain of chains) {
          expect(chain.actions).toEqual(['user.update']);
          expect(chain.seqs.map(Number)).toEqual([1]);
        }
        expect(await verify()).toEqual({ valid: true, checked: await countAll() });
      },
      SLOW,
    );

    it(
      'keeps one chain valid under 20 concurrent audited writes on the same resource',
      async () => {
        const user = await createUser();
        const racing = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            t.http
              .patch(`/api/v1/admin/users/${user.id}`)
              .set(admin.auth)
              .send({ name: `Racer ${i}` }),
          ),
        );
        expect(racing.map((r) => r.status)).toEqual(racing.map(() => 200));

        const chain = await entriesAbout(user.id);
        expect(chain.map((e) => Number(e.chain_seq))).toEqual(
          Array.from({ length: 21 }, (_, i) => i + 1),
        );
        chain.slice(1).forEach((entry, i) => expect(entry.prev_hash).toBe(chain[i].hash));
        expect(await verify()).toEqual({ valid: true, checked: await countAll() });
      },
      SLOW,
    );
  });
});
