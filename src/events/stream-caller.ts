import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError, ForbiddenError, TokenExpiredError, type Actor } from '@helpdesk/common';
import { ApiKeysService } from 'src/auth/api-keys.service';
import { JwtStrategy, type AccessTokenPayload } from 'src/auth/jwt.strategy';
import { hasStaffRole } from 'src/access/roles';

/** The credential a stream was opened with, kept to check it again while the stream is open. */
export type StreamCredential =
  | { kind: 'api_key'; key: string; actor: Actor }
  | { kind: 'bearer'; payload: AccessTokenPayload & { exp?: number }; actor: Actor };

/** Why a stream was ended: the problem code the same credential would now get on a request. */
export interface StreamEnd {
  code: string;
  detail: string;
}

/**
 * Re-validates the caller of an open SSE stream the way the access guard validated it when the
 * stream opened: an API key through `ApiKeysService.authenticate` (revoked → refused), a bearer
 * token through its expiry and `JwtStrategy.validate` (user gone or deactivated → refused), then
 * the route's role (support and up).
 *
 * SEAM for the server-side sessions work (issue 21): a "session alive" check added to
 * `JwtStrategy.validate` (the access guard's credential check) applies here as it is. If it is
 * added anywhere else (the guard itself, a SessionsService), call it from `recheck` below.
 */
@Injectable()
export class StreamCallerCheck {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly jwt: JwtStrategy,
  ) {}

  /** What the access guard accepted for this request (it ran before the handler). */
  credentialOf(request: FastifyRequest & { actor?: Actor }): StreamCredential | null {
    const actor = request.actor;
    if (!actor) return null;
    const apiKey = header(request, 'x-api-key');
    if (apiKey !== undefined) return { kind: 'api_key', key: apiKey, actor };
    const bearer = /^Bearer\s+(\S+)$/i.exec(header(request, 'authorization') ?? '')?.[1];
    if (!bearer) return null;
    // Verified by the guard a moment ago: only its claims are needed here.
    const payload = JSON.parse(
      Buffer.from(bearer.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as AccessTokenPayload & { exp?: number };
    return { kind: 'bearer', payload, actor };
  }

  /** When a bearer credential stops being valid by itself (ms since the epoch), if ever. */
  expiresAt(credential: StreamCredential): number | undefined {
    return credential.kind === 'bearer' && typeof credential.payload.exp === 'number'
      ? credential.payload.exp * 1000
      : undefined;
  }

  /** Null while the caller may still read the stream; otherwise why not. */
  async recheck(credential: StreamCredential, now = Date.now()): Promise<StreamEnd | null> {
    try {
      const expiresAt = this.expiresAt(credential);
      if (expiresAt !== undefined && expiresAt <= now) {
        throw new TokenExpiredError('The access token has expired; refresh it.');
      }
      const actor =
        credential.kind === 'api_key'
          ? await this.apiKeys.authenticate(credential.key)
          : await this.jwt.validate(credential.payload);
      if (!hasStaffRole(actor.role, 'support')) {
        throw new ForbiddenError('Your role may not read the event stream.');
      }
      return null;
    } catch (error) {
      if (error instanceof AppError) return { code: error.code, detail: error.message };
      throw error;
    }
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
