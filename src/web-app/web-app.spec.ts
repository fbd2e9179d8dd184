import Fastify, { type FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerWebApp, WEB_APP_CSP } from './web-app';

// The serving rules on a fixture build (the browser suite checks the real one).
describe('registerWebApp', () => {
  let fastify: FastifyInstance;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'web-app-'));
    for (const name of ['app', 'portal']) {
      mkdirSync(join(root, name, 'assets'), { recursive: true });
      writeFileSync(join(root, name, 'index.html'), `<!doctype html><title>${name}</title>`);
      writeFileSync(join(root, name, 'assets', 'index-abc123.js'), 'console.log(1)');
    }
    writeFileSync(join(root, 'secret.txt'), 'not served');
    fastify = Fastify();
    registerWebApp(fastify, root);
    await fastify.ready();
  });
  afterAll(() => fastify.close());

  it.each(['/app/', '/app/tickets/123', '/portal/', '/portal/tickets/1?x=2'])(
    '%s answers the index, revalidated every time, under the strict CSP',
    async (url) => {
      const response = await fastify.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toBe(WEB_APP_CSP);
      expect(WEB_APP_CSP).not.toContain('unsafe-inline');
    },
  );

  it('serves hashed assets as immutable for a year', async () => {
    const response = await fastify.inject({ url: '/portal/assets/index-abc123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/javascript');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.body).toBe('console.log(1)');
  });

  it.each(['/app/assets/missing.js', '/app/assets/..%2F..%2Fsecret.txt', '/app/assets/a/b.js'])(
    '%s is a 404, never a file outside the assets folder',
    async (url) => {
      const response = await fastify.inject({ url });
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('not served');
    },
  );

  it('sends /app to /app/ and email links to /admin/… to the console', async () => {
    expect((await fastify.inject({ url: '/app' })).headers.location).toBe('/app/');
    const link = await fastify.inject({ url: '/admin/tickets/42' });
    expect(link.statusCode).toBe(302);
    expect(link.headers.location).toBe('/app/tickets/42');
  });
});
