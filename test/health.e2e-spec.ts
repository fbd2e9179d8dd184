import { createTestApp, type TestApp } from '@helpdesk/testing';

describe('operations endpoints', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers /health/live while the process runs', async () => {
    const res = await t.http.get('/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers /health/ready 200 when PostgreSQL and Redis answer', async () => {
    const res = await t.http.get('/health/ready').expect(200);
    expect(res.body.details.database.status).toBe('up');
    expect(res.body.details.redis.status).toBe('up');
  });

  it('answers /health/ready 503 as a problem document when Redis is unreachable', async () => {
    const broken = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const res = await broken.http.get('/health/ready').expect(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      // which dependency: was a bare "Service Unavailable Exception"
      expect(res.body.detail).toBe('Not ready: redis does not answer.');
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      await broken.close();
    }
  });

  it('serves Prometheus metrics with request durations by route and status', async () => {
    await t.http.get('/health/live');
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(
      /http_request_duration_seconds_bucket\{[^}]*route="\/health\/live"[^}]*status="200"/,
    );
  });

  it('serves the OpenAPI document and the docs UI', async () => {
    const doc = await t.http.get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.paths['/api/v1/auth/login'].post).toBeDefined();
    expect(doc.body.components.schemas.ProblemResponse).toBeDefined();
    const ui = await t.http.get('/docs').expect(200);
    expect(ui.text).toMatch(/swagger/i);
  });

  it('echoes a sane X-Request-Id and mints one otherwise', async () => {
    const echoed = await t.http
      .get('/health/live')
      .set('X-Request-Id', 'trace-abc.123')
      .expect(200);
    expect(echoed.headers['x-request-id']).toBe('trace-abc.123');
    const minted = await t.http
      .get('/health/live')
      .set('X-Request-Id', 'bad id with spaces<script>')
      .expect(200);
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers', async () => {
    const res = await t.http.get('/health/live');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});
