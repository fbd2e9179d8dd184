import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { eventually, freePort, sleep } from '@helpdesk/testing';
import { call } from './support/client';
import {
  spawnTracked,
  startApp,
  stopAll,
  stopProcess,
  tempDir,
  throwawayPostgres,
  type ThrowawayPostgres,
} from './support/processes';

// Secrets never reach the logs: the app runs as a child process with LOG_LEVEL=debug, every
// kind of credential is planted in requests (and in its own configuration), and the captured
// stdout/stderr is searched for each. Plus `npm audit` of the production dependencies.
describe('security checks', () => {
  let pg: ThrowawayPostgres;

  afterAll(async () => {
    await stopAll();
  });

  it('never logs a password, token, API key or connection secret (LOG_LEVEL=debug)', async () => {
    pg = await throwawayPostgres();
    const redisPassword = `redis-pass-${randomUUID()}`;
    const redisPort = await freePort();
    const redisArgs = [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--requirepass',
      redisPassword,
    ];
    const redisServer = spawnTracked('redis-server', redisArgs);
    const redisAnswers = async () => {
      const client = new Redis({
        port: redisPort,
        password: redisPassword,
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    };
    await eventually(redisAnswers, { timeoutMs: 10_000, what: 'redis with a password' });

    const secrets = {
      adminPassword: `admin-pw-${randomUUID()}`,
      wrongPassword: `wrong-pw-${randomUUID()}`,
      dbPassword: `db-pw-${randomUUID()}`, // trust auth ignores it; it must still not be logged
      jwtSecret: `jwt-secret-${randomUUID()}`,
      auditKey: `audit-key-${randomUUID()}`,
      metricsToken: `metrics-token-${randomUUID()}`,
      redisPassword,
    };
    const dbUrl = new URL(pg.url('helpdesk_security'));
    dbUrl.password = secrets.dbPassword;
    const app = await startApp('all', {
      LOG_LEVEL: 'debug',
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: `redis://:${redisPassword}@127.0.0.1:${redisPort}`,
      REDIS_PREFIX: 'security',
      JWT_SECRET: secrets.jwtSecret,
      AUDIT_HMAC_KEY: secrets.auditKey,
      METRICS_TOKEN: secrets.metricsToken,
      ADMIN_EMAIL: 'admin@security.test',
      ADMIN_PASSWORD: secrets.adminPassword,
      MAIL_DIR: join(tempDir('mail'), 'mail'),
    });
    const planted: Record<string, string> = { ...secrets };

    // passwords: a good and a bad login
    await call(app.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'admin@security.test', password: secrets.wrongPassword },
    });
    const login = await call(app.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'admin@security.test', password: secrets.adminPassword },
    });
    expect(login.status).toBe(200);
    const tokens = login.body as { access_token: string; refresh_token: string };
    planted.accessToken = tokens.access_token;
    const auth = { Authorization: `Bearer ${tokens.access_token}` };
    // a refresh token, used (and so rotated)
    const refreshed = await call(app.url, 'POST', '/api/v1/auth/refresh', {
      body: { refresh_token: tokens.refresh_token },
    });
    planted.refreshToken = tokens.refresh_token;
    planted.newRefreshToken = (refreshed.body as { refresh_token: string }).refresh_token;
    // a staff user's password, an API key used in a header, a ticket token used in a header
    const staffPassword = `staff-pw-${randomUUID()}`;
    planted.staffPassword = staffPassword;
    await call(app.url, 'POST', '/api/v1/admin/users', {
      headers: auth,
      body: {
        email: 'agent@security.test',
        name: 'Agent',
        role: 'support',
        password: staffPassword,
      },
    });
    const key = await call(app.url, 'POST', '/api/v1/admin/api-keys', {
      headers: auth,
      body: { name: 'secret key', role: 'support' },
    });
    planted.apiKey = (key.body as { key: string }).key;
    await call(app.url, 'GET', '/api/v1/admin/tickets', {
      headers: { 'X-API-Key': planted.apiKey },
    });
    await call(app.url, 'GET', '/api/v1/admin/users', {
      headers: { 'X-API-Key': `${planted.apiKey}x` },
    });
    const ticket = await call(app.url, 'POST', '/api/v1/tickets', {
      body: { name: 'S', email: 'customer@security.test', subject: 'S', message: 'M' },
    });
    const created = ticket.body as { ticket: { id: string }; access_token: string };
    // the metrics token (right and wrong), and an Idempotency-Key (stored only as a digest)
    expect(
      (
        await call(app.url, 'GET', '/metrics', {
          headers: { Authorization: `Bearer ${secrets.metricsToken}` },
        })
      ).status,
    ).toBe(200);
    await call(app.url, 'GET', '/metrics', {
      headers: { Authorization: `Bearer ${secrets.metricsToken}x` },
    });
    planted.idempotencyKey = `idem-${randomUUID()}`;
    await call(app.url, 'POST', '/api/v1/tickets', {
      headers: { 'Idempotency-Key': planted.idempotencyKey },
      body: { name: 'S', email: 'customer@security.test', subject: 'I', message: 'M' },
    });
    planted.ticketToken = created.access_token;
    await call(app.url, 'GET', `/api/v1/portal/tickets/${created.ticket.id}`, {
      headers: { 'X-Ticket-Token': planted.ticketToken },
    });
    // a magic-link token sent for verification, and a bogus bearer
    planted.magicToken = `magic-${randomUUID()}`;
    await call(app.url, 'POST', '/api/v1/auth/magic-link/verify', {
      body: { token: planted.magicToken },
    });
    planted.bogusBearer = `bogus-${randomUUID()}`;
    await call(app.url, 'GET', '/api/v1/auth/me', {
      headers: { Authorization: `Bearer ${planted.bogusBearer}` },
    });
    // a password change, and a validation failure on a body carrying a password
    await call(app.url, 'POST', '/api/v1/admin/users', {
      headers: auth,
      body: { email: 'not-an-email', name: '', role: 'nope', password: `${staffPassword}-2` },
    });
    planted.invalidBodyPassword = `${staffPassword}-2`;

    // Redis goes away (the warning names its URL) and comes back
    await stopProcess(redisServer, 'SIGKILL');
    await sleep(1500);
    spawnTracked('redis-server', redisArgs); // killed by stopAll()
    await eventually(redisAnswers, { timeoutMs: 10_000, what: 'redis back' });
    await sleep(1500);
    await app.stop();

    const logs = app.output();
    expect(logs.length).toBeGreaterThan(1000); // debug logging really ran
    expect(logs).toMatch(/Redis at redis:\/\/:\*\*\*@127\.0\.0\.1/); // the warning fired, redacted
    const leaked = Object.entries(planted)
      .filter(([, value]) => value && logs.includes(value))
      .map(([name]) => name);
    expect(leaked).toEqual([]);
    console.info(
      `secrets: ${Object.keys(planted).length} planted, ${logs.split('\n').length} log lines searched, none found`,
    );
    await pg.destroy();
  });

  it('has no high or critical advisories in production dependencies (npm audit)', () => {
    const audit = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    let report: { metadata?: { vulnerabilities?: Record<string, number> }; error?: unknown };
    try {
      report = JSON.parse(audit.stdout) as typeof report;
    } catch {
      report = {};
    }
    const counts = report.metadata?.vulnerabilities;
    if (!counts) {
      // This machine's registry mirror answers the audit endpoint with 405: nothing to check
      // against. Say so loudly rather than pass silently; CI with registry.npmjs.org checks.
      console.warn(`npm audit could not run here: ${(audit.stdout + audit.stderr).slice(0, 300)}`);
      if (process.env.RESILIENCE_REQUIRE_AUDIT === '1') throw new Error('npm audit did not run');
      return;
    }
    expect({ high: counts.high ?? 0, critical: counts.critical ?? 0 }).toEqual({
      high: 0,
      critical: 0,
    });
  });
});
