import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { type TestApp, createTestApp, eventually } from '@helpdesk/testing';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
const ALLOWED_ORIGIN = 'https://app.example.test';

/** Opens a raw connection, writes `head`, then one byte of `trickle` every `everyMs`. */
function trickle(
  port: number,
  head: string,
  trickleBytes: string,
  everyMs: number,
): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after 15 s; got ${JSON.stringify(answer)}`));
    }, 15_000);
    socket.on('connect', () => {
      socket.write(head);
      let index = 0;
      timer = setInterval(() => {
        if (index < trickleBytes.length && socket.writable) socket.write(trickleBytes[index++]);
      }, everyMs);
    });
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined); // the server resets a connection it gives up on
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(guard);
      resolve({ answer, closedAfterMs: Date.now() - started });
    });
  });
}

// A spec file of its own: this app runs with production-like gates (passport's strategies are
// process-wide, so it must be the only app booted here).
describe('hardening (issue 21): timeouts, CORS, metrics and docs settings', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({
      REQUEST_TIMEOUT_MS: '1500',
      HEADERS_TIMEOUT_MS: '800',
      METRICS_TOKEN,
      DOCS_ENABLED: 'false',
      CORS_ORIGINS: ALLOWED_ORIGIN,
      IDEMPOTENCY_PURGE_INTERVAL_MS: '200',
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await t.close();
  });

  it('cuts off a body that trickles in after REQUEST_TIMEOUT_MS with 408', async () => {
    const body = JSON.stringify({ email: 'slow@example.test', password: 'x'.repeat(40) });
    const { answer, closedAfterMs } = await trickle(
      port,
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${body.length}\r\n\r\n`,
      body,
      100,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/application\/problem\+json/);
    // Before: no request timeout at all (the body could trickle for as long as the client liked).
    expect(closedAfterMs).toBeLessThan(5_000);
  });

  it('cuts off headers that trickle in after HEADERS_TIMEOUT_MS', async () => {
    const { answer, closedAfterMs } = await trickle(
      port,
      'GET /health/live HTTP/1.1\r\nHost: localhost\r\n',
      'X-Slow: ' + 'a'.repeat(200),
      100,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    // Before: Node's 60 s headersTimeout, checked every 30 s (~85 s in practice).
    expect(closedAfterMs).toBeLessThan(4_000);
  });

  it('purges idempotency records after their 24 h window (a scheduled job)', async () => {
    const db = t.app.get(DataSource);
    const caller = `email:purge-${Date.now()}@example.test`;
    await db.query(
      `INSERT INTO idempotency_key (caller, key, route, request_hash, created_at)
       VALUES ($1, 'old', 'POST /x', 'h', now() - interval '25 hours'),
              ($1, 'fresh', 'POST /x', 'h', now() - interval '23 hours')`,
      [caller],
    );
    await eventually(
      async () => {
        const rows: Array<{ key: string }> = await db.query(
          'SELECT key FROM idempotency_key WHERE caller = $1',
          [caller],
        );
        return rows.length === 1 && rows[0].key === 'fresh';
      },
      { what: 'the expired record to be purged', timeoutMs: 20_000 },
    );
  });

  it('puts /metrics behind METRICS_TOKEN', async () => {
    await t.http.get('/metrics').expect(401);
    await t.http.get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    const res = await t.http
      .get('/metrics')
      .set('Authorization', `Bearer ${METRICS_TOKEN}`)
      .expect(200);
    expect(res.text).toMatch(/http_request_duration_seconds/);
  });

  it('serves no /docs with DOCS_ENABLED=false', async () => {
    await t.http.get('/docs').expect(404);
    await t.http.get('/docs-json').expect(404);
  });

  it('answers CORS only for listed origins, never for the null origin, with the SPA methods and headers', async () => {
    const preflight = await t.http
      .options('/api/v1/admin/tickets/00000000-0000-7000-8000-000000000000')
      .set('Origin', ALLOWED_ORIGIN)
      .set('Access-Control-Request-Method', 'PATCH')
      .set('Access-Control-Request-Headers', 'if-match, idempotency-key, content-type');
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    const methods = String(preflight.headers['access-control-allow-methods']).split(/,\s*/);
    expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']));
    const allowed = String(preflight.headers['access-control-allow-headers']).toLowerCase();
    expect(allowed).toContain('if-match');
    expect(allowed).toContain('idempotency-key');

    const simple = await t.http.get('/health/live').set('Origin', ALLOWED_ORIGIN).expect(200);
    const exposed = String(simple.headers['access-control-expose-headers']).toLowerCase();
    for (const header of ['etag', 'x-request-id', 'location', 'retry-after']) {
      expect(exposed).toContain(header);
    }

    for (const origin of ['null', 'https://evil.example.test']) {
      const res = await t.http.get('/health/live').set('Origin', origin).expect(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});
