import { Client } from 'pg';
import { call } from './support/client';
import { startApp, stopAll, type AppProcess } from './support/processes';

// Issue 21: a revoked session's access token stops working on every API process within
// SESSION_CHECK_CACHE_MS (docs/sessions.md) — two real `api` processes on one database.
describe('session revocation across API processes', () => {
  const run = `${Date.now().toString(36)}_${process.pid}`;
  const database = `helpdesk_test_sessions_${run}`;
  const base = process.env.TEST_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const ADMIN = { email: `admin.${run}@example.test`, password: 'resilience-admin-password' };
  const BOUND_MS = 1000;
  let a: AppProcess;
  let b: AppProcess;

  beforeAll(async () => {
    const env = {
      DATABASE_URL: `${base}/${database}`,
      REDIS_PREFIX: `resilience_sessions_${run}`,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SESSION_CHECK_CACHE_MS: String(BOUND_MS),
    };
    a = await startApp('api', env); // creates and migrates the database
    b = await startApp('api', env);
  });

  afterAll(async () => {
    await stopAll();
    const admin = new Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  });

  const signIn = async () => {
    const res = await call(a.url, 'POST', '/api/v1/auth/login', { body: ADMIN });
    expect(res.status).toBe(200);
    return (res.body as { access_token: string }).access_token;
  };
  const me = (app: AppProcess, token: string) =>
    call(app.url, 'GET', '/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } });

  it('logout on one process ends the access token on the other within the bound', async () => {
    const token = await signIn();
    expect((await me(b, token)).status).toBe(200); // b now remembers "alive"

    const logout = await call(a.url, 'POST', '/api/v1/auth/logout', {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(logout.status).toBe(204);
    const revokedAt = Date.now();
    expect((await me(a, token)).status).toBe(401); // the revoking process: at once

    let status = 200;
    while (status === 200 && Date.now() - revokedAt < BOUND_MS + 5_000) {
      status = (await me(b, token)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const took = Date.now() - revokedAt;
    expect(status).toBe(401);
    // The bound, plus a request's worth of slack on a loaded machine.
    expect(took).toBeLessThan(BOUND_MS + 1_500);
  });
});
