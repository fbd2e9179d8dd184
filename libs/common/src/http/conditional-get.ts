import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * `If-None-Match` on a GET or HEAD (RFC 9110 section 13.1.2): when the representation about to
 * be sent carries an ETag the client already holds, answer 304 Not Modified without the body.
 * Comparison is weak, as the RFC says for `If-None-Match` (`W/"3"` matches `"3"`); `*` matches
 * any representation. Registered as a Fastify `onSend` hook, so it applies to every route that
 * sends an ETag (today: the versioned ticket representations).
 */
export async function answerNotModified(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
  if (reply.statusCode !== 200) return payload;
  const etag = reply.getHeader('etag');
  const ifNoneMatch = request.headers['if-none-match'];
  if (typeof etag !== 'string' || !ifNoneMatch) return payload;
  if (!noneMatchHolds(ifNoneMatch, etag)) {
    reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    return null;
  }
  return payload;
}

/** False when the header names `etag` (weakly) or is `*`: the client's copy is current. */
export function noneMatchHolds(header: string, etag: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return !header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || opaque(tag) === wanted);
}
