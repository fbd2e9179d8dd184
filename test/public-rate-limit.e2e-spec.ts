import { createTestApp, uniqueEmail, type TestApp } from '@helpdesk/testing';

describe('per-IP rate limit on anonymous public calls', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      PUBLIC_RATE_LIMIT_PER_MINUTE: '3',
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_rl`,
    });
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 429 RATE_LIMITED with Retry-After past the limit, and never limits health checks', async () => {
    for (let i = 0; i < 3; i += 1) {
      await t.http.post('/api/v1/auth/magic-link').send({ email: uniqueEmail() }).expect(202);
    }
    const limited = await t.http
      .post('/api/v1/auth/magic-link')
      .send({ email: uniqueEmail() })
      .expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await t.http.get('/health/live').expect(200);
  });
});
