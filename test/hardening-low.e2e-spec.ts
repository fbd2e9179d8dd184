import type { LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createCustomer, createStaff, createTestApp, type TestApp } from '@helpdesk/testing';

// Issue 21, the low-severity findings that need only the default settings (docs/reliability.md
// section 6). The ones that need other settings have their own spec files.
describe('hardening (issue 21): defaults', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  describe('there is always at least one active admin', () => {
    it('answers 409 CONFLICT when the last active admin is demoted or deactivated, and races leave one', async () => {
      const a = await createStaff(t, 'admin');
      const b = await createStaff(t, 'admin');
      // Leave exactly these two active admins (other specs' admins are done with).
      await t.app
        .get(DataSource)
        .query(
          `UPDATE app_user SET is_active = false WHERE role = 'admin' AND id <> ALL($1::uuid[])`,
          [[a.user.id, b.user.id]],
        );

      // Two concurrent demotions of the last two admins: exactly one wins.
      const answers = await Promise.all([
        t.http.patch(`/api/v1/admin/users/${b.user.id}`).set(a.auth).send({ role: 'support' }),
        t.http.patch(`/api/v1/admin/users/${a.user.id}`).set(b.auth).send({ is_active: false }),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const refused = answers.find((r) => r.status === 409)!;
      expect(refused.body).toMatchObject({ status: 409, code: 'CONFLICT' });
      const [{ count }] = await t.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS count FROM app_user WHERE role = 'admin' AND is_active`);
      expect(count).toBe(1);

      // The survivor cannot remove itself either way.
      const survivor = answers[0].status === 200 ? a : b;
      for (const change of [{ role: 'support_manager' }, { is_active: false }]) {
        const res = await t.http
          .patch(`/api/v1/admin/users/${survivor.user.id}`)
          .set(survivor.auth)
          .send(change)
          .expect(409);
        expect(res.body.code).toBe('CONFLICT');
      }
      // With a second admin, the demotion goes through.
      const c = await createStaff(t, 'admin');
      await t.http
        .patch(`/api/v1/admin/users/${survivor.user.id}`)
        .set(c.auth)
        .send({ role: 'support' })
        .expect(200);
    });
  });

  it('shows client IPs and user agents in the timeline only to support_manager and up', async () => {
    const customer = await createCustomer(t);
    const created = await t.http
      .post('/api/v1/tickets')
      .set(customer.auth)
      .set('user-agent', 'timeline-agent/1.0')
      .send({ subject: 'IPs', message: 'x' })
      .expect(201);
    const url = `/api/v1/admin/tickets/${created.body.ticket.id}/timeline`;
    const support = await createStaff(t, 'support');
    const manager = await createStaff(t, 'support_manager');

    const asManager = (await t.http.get(url).set(manager.auth).expect(200)).body;
    expect(asManager.events[0].ip).toMatch(/127\.0\.0\.1|::1/);
    expect(asManager.events[0].user_agent).toBe('timeline-agent/1.0');

    const asSupport = (await t.http.get(url).set(support.auth).expect(200)).body;
    expect(asSupport.events.length).toBe(asManager.events.length);
    for (const event of asSupport.events) {
      expect(event.ip).toBeNull();
      expect(event.user_agent).toBeNull();
    }
    // Everything else is the same history.
    expect(asSupport.events.map((e: { hash: string }) => e.hash)).toEqual(
      asManager.events.map((e: { hash: string }) => e.hash),
    );
  });

  it('stores no plaintext key or ticket token for an idempotent intake, and still replays the same body', async () => {
    const key = `intake-${Date.now()}-sealed`;
    const send = () =>
      t.http
        .post('/api/v1/tickets')
        .set('Idempotency-Key', key)
        .send({ name: 'Sealed', email: 'sealed@example.test', subject: 'S', message: 'm' });
    const first = await send().expect(201);
    const token: string = first.body.access_token;
    expect(token).toBeTruthy();
    const replay = await send().expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);

    const rows: Array<{ key: string; response_body: unknown }> = await t.app
      .get(DataSource)
      .query(
        `SELECT key, response_body FROM idempotency_key WHERE caller = 'email:sealed@example.test'`,
      );
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(first.body.ticket.id);
  });

  it('logs a failed SQL statement without its parameters or the values quoted in the error', async () => {
    const lines: string[] = [];
    const capture: LoggerService = {
      log: (message: unknown) => lines.push(String(message)),
      error: (message: unknown) => lines.push(String(message)),
      warn: (message: unknown) => lines.push(String(message)),
      debug: (message: unknown) => lines.push(String(message)),
      verbose: (message: unknown) => lines.push(String(message)),
    };
    t.app.useLogger(capture);
    const secret = 'victim-secret@example.test';
    await expect(
      t.app.get(DataSource).query('SELECT $1::uuid AS id, $2::text AS other', [secret, 'x']),
    ).rejects.toThrow();
    const failure = lines.find((line) => line.includes('query failed'));
    expect(failure).toBeDefined();
    expect(failure).toMatch(/22P02/);
    expect(failure).toMatch(/2 parameter\(s\) not logged/);
    expect(lines.join('\n')).not.toContain(secret);
  });
});
