import type { IncomingMessage } from 'node:http';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeError } from '../errors';

/** What a route's body may be when it declares nothing else (API.md section 1). */
export const JSON_MEDIA_TYPE = 'application/json';
export const MULTIPART_MEDIA_TYPE = 'multipart/form-data';

/**
 * An error found before the body was read (413, 415, 401 …) is answered once the rest of the body
 * has been read and dropped: closing the socket while the client is still sending makes ordinary
 * clients fail with EPIPE/ECONNRESET before they read any response, and answering early on a
 * kept-alive connection leaves some (Node's own) waiting forever to finish the upload. These
 * bound what a client can make us read for nothing; beyond them the answer goes out and the
 * connection closes.
 */
export const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
export const MAX_DRAIN_MS = 30_000;

interface BodyRouteConfig {
  bodyMediaTypes?: readonly string[];
}

/** The route takes multipart/form-data bodies instead of JSON (attachment uploads). */
export const AcceptsMultipart = (): MethodDecorator =>
  RouteConfig({ bodyMediaTypes: [MULTIPART_MEDIA_TYPE] } satisfies BodyRouteConfig);

/** `text/plain; charset=utf-8` → `text/plain` ('' when absent). */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0].trim().toLowerCase();
}

/** The methods whose bodies routes read; a body on GET or HEAD is ignored, as Fastify does. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hasBody(request: FastifyRequest): boolean {
  if (!BODY_METHODS.has(request.method)) return false;
  const { 'content-length': length, 'transfer-encoding': encoding } = request.headers;
  return encoding !== undefined || (length !== undefined && length !== '0');
}

/**
 * Every body goes to a route as JSON unless the route says otherwise: text/plain, form-encoded
 * (which any web page can post cross-site without a CORS preflight) and the rest answer 415 before
 * anything parses them. Refused or failed requests get their unread body drained, within limits.
 */
export function enforceBodyPolicy(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    // Unknown routes answer 404 (or 405) whatever they were sent.
    if (request.routeOptions.url === undefined || !hasBody(request)) return payload;
    const accepted = (request.routeOptions.config as BodyRouteConfig).bodyMediaTypes ?? [
      JSON_MEDIA_TYPE,
    ];
    const type = mediaTypeOf(request.headers['content-type']);
    if (!accepted.includes(type)) {
      throw new UnsupportedMediaTypeError(
        `This route takes ${accepted.join(' or ')} bodies, not ${type || 'a body without Content-Type'}.`,
      );
    }
    return payload;
  });

  fastify.addHook('onSend', async (request, reply, payload) => {
    const raw = request.raw;
    // 503 while closing keeps Fastify's Connection: close, so shutdown is not held up.
    if (reply.statusCode >= 400 && reply.statusCode !== 503 && !raw.complete && !raw.destroyed) {
      if (await drainWithinLimits(raw)) reply.removeHeader('connection');
      else reply.header('connection', 'close');
    }
    return payload;
  });
}

/** Reads and drops the rest of a request body; false when it was cut short by a limit. */
function drainWithinLimits(raw: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    let drained = 0;
    const finish = (complete: boolean) => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('close', onClose);
      resolve(complete);
    };
    const onData = (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > MAX_DRAIN_BYTES) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(raw.complete);
    const timer = setTimeout(() => finish(false), MAX_DRAIN_MS).unref();
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('close', onClose);
    raw.resume();
  });
}
