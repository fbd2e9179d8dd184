import {
  HttpStatus,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import {
  ConflictError,
  normalizeEmail,
  sha256Hex,
  ValidationFailedError,
  type Actor,
} from '@helpdesk/common';
import { IdempotencySealer } from './idempotency-sealer';
import { IDEMPOTENCY_TTL_MS as TTL_MS } from './idempotency.constants';
import { IdempotencyRepository } from './idempotency.repository';

/** Stable JSON: object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * `Idempotency-Key` (API.md section 1): the same key from the same caller within 24 h replays the
 * first response and creates nothing; another body with that key is 409. Runs inside the route's
 * unit of work, so the key and the change it guards commit (or roll back) together.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly reflector: Reflector,
    private readonly sealer: IdempotencySealer,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const header = request.headers['idempotency-key'];
    if (header === undefined) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || key.length > 255) {
      throw ValidationFailedError.forField(
        'Idempotency-Key',
        'Idempotency-Key must be 1 to 255 characters',
      );
    }
    const caller = this.callerOf(request);
    // The table holds a digest of the key and a sealed response (IdempotencySealer); `key`
    // itself stays in memory, where it opens the seal on a replay.
    const storedKey = this.sealer.keyDigest(key);
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    const requestHash = sha256Hex(`${route}\n${request.url}\n${canonical(request.body)}`);
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    const reply = http.getResponse<FastifyReply>();

    return from(
      (async () => {
        let claimed = await this.keys.claim(caller, storedKey, route, requestHash);
        if (!claimed) {
          const stored = await this.keys.find(caller, storedKey);
          if (stored && stored.createdAt.getTime() < Date.now() - TTL_MS) {
            claimed = await this.keys.reclaimExpired(
              caller,
              storedKey,
              route,
              requestHash,
              new Date(Date.now() - TTL_MS),
            );
          }
          if (!claimed) {
            if (!stored || stored.requestHash !== requestHash || stored.responseStatus === null) {
              throw new ConflictError(
                'This Idempotency-Key was already used with a different request.',
              );
            }
            const opened = this.sealer.open(stored.responseBody, caller, key);
            if (!opened) {
              throw new ConflictError(
                'This Idempotency-Key was used, but its response can no longer be replayed (the server key changed); use a new key.',
              );
            }
            reply.status(stored.responseStatus);
            reply.header('Idempotent-Replayed', 'true');
            return opened.body;
          }
        }
        const body: unknown = await lastValueFrom(next.handle() as Observable<unknown>, {
          defaultValue: undefined,
        });
        await this.keys.complete(caller, storedKey, status, this.sealer.seal(body, caller, key));
        return body;
      })(),
    );
  }

  private callerOf(request: FastifyRequest & { actor?: Actor }): string {
    const actor = request.actor;
    if (actor?.id) return `${actor.type}:${actor.id}`;
    // Anonymous public intake: the caller is the requester's email (API.md section 1).
    const email = (request.body as { email?: unknown } | undefined)?.email;
    return `email:${typeof email === 'string' ? normalizeEmail(email) : 'anonymous'}`;
  }
}
