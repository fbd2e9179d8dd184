import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PreconditionFailedError } from '../errors/app-error';

/**
 * Parses `If-Match: "3"` (or a bare 3) into a version; `*` or absent → undefined. `If-Match`
 * compares strongly (RFC 9110 section 13.1.1): a weak validator such as `W/"3"` never matches,
 * so it is refused with 412 like any other tag this API did not issue.
 */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value || value === '*') return undefined;
  if (value.startsWith('W/'))
    throw new PreconditionFailedError(
      'If-Match compares strongly: send the ETag as issued ("3"), not a weak validator (W/"3").',
    );
  const match = /^"?(\d{1,9})"?$/.exec(value);
  if (!match)
    throw new PreconditionFailedError('If-Match must be an ETag this API issued, like "3".');
  return Number(match[1]);
}

export const IfMatch = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): number | undefined =>
    parseIfMatch(ctx.switchToHttp().getRequest<FastifyRequest>().headers['if-match']),
);
