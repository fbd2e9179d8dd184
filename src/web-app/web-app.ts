import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

/**
 * Where `npm run build` writes the two single-page apps (`dist/web/app`, `dist/web/portal`),
 * found from this file whether it runs compiled (`dist/src/web-app`) or from source (tests).
 */
const top = resolve(__dirname, '..', '..');
export const DEFAULT_WEB_ROOT =
  basename(top) === 'dist' ? join(top, 'web') : join(top, 'dist', 'web');

/** The web app's own policy: no inline script, API calls to this origin only, blob: previews. */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "frame-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';
const ASSET_NAME = /^[A-Za-z0-9_.-]+$/;
const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
  json: 'application/json',
  map: 'application/json',
};

/**
 * Serves the staff console under `/app/` and the customer portal under `/portal/` from the
 * built files: hashed assets are cached for a year, `index.html` is revalidated every time and
 * answers every other path below the prefix (client-side routing). Plain Fastify routes, so the
 * API's guards, DTOs and OpenAPI document never see them. Without a build the prefixes answer 404.
 */
export function registerWebApp(fastify: FastifyInstance, root = DEFAULT_WEB_ROOT): void {
  for (const name of ['app', 'portal'] as const) {
    const dir = join(root, name);
    const handler = (request: FastifyRequest, reply: FastifyReply) =>
      serve(request, reply, dir, name);
    fastify.get(`/${name}`, (_request, reply) => reply.redirect(`/${name}/`, 301));
    fastify.get(`/${name}/`, handler);
    fastify.get(`/${name}/*`, handler);
  }
  // Staff emails link to `/admin/tickets/{id}`: that is the console's ticket page.
  fastify.get('/admin/*', (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    return reply.redirect(`/app/${rest.split('?')[0]}`, 302);
  });
}

function serve(request: FastifyRequest, reply: FastifyReply, dir: string, name: string) {
  reply.header('content-security-policy', WEB_APP_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  const rest = (request.params as { '*'?: string })['*'] ?? '';
  const path = rest.split('?')[0];
  if (path.startsWith('assets/')) {
    // Only a plain file name directly in assets/: never a fallback page, never another folder.
    const file = path.slice('assets/'.length);
    if (!ASSET_NAME.test(file) || !isFile(join(dir, 'assets', file))) {
      return reply.code(404).type('text/plain').send('Not found');
    }
    const ext = file.slice(file.lastIndexOf('.') + 1);
    return reply
      .header('cache-control', IMMUTABLE)
      .type(CONTENT_TYPES[ext] ?? 'application/octet-stream')
      .send(createReadStream(join(dir, 'assets', file)));
  }
  const index = join(dir, 'index.html');
  if (!isFile(index)) {
    return reply.code(404).type('text/plain').send(`The ${name} is not built: run npm run build.`);
  }
  return reply
    .header('cache-control', 'no-cache')
    .type('text/html; charset=utf-8')
    .send(createReadStream(index));
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
