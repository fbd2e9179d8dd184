import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import {
  AccountDisabledError,
  TokenExpiredError,
  UnauthenticatedError,
  type Actor,
} from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { UsersService } from 'src/users/users.service';
import { SessionLiveness } from './session-liveness';

export interface AccessTokenPayload {
  sub: string;
  sid: string;
  typ: 'access';
}

/**
 * Verifies bearer access tokens, checks that their sign-in session is alive and loads the user, so
 * revocation, deactivation and role changes apply at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly users: UsersService,
    private readonly sessions: SessionLiveness,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject made once: given a string, jsonwebtoken first tries it as a public key (and
      // builds the thrown error) and then makes a secret key from it, on every request.
      // passport-jwt hands the key to jsonwebtoken as it is; its types only name string | Buffer.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessTokenPayload): Promise<Actor> {
    if (
      payload.typ !== 'access' ||
      typeof payload.sub !== 'string' ||
      typeof payload.sid !== 'string'
    ) {
      throw new UnauthenticatedError('The token is not an access token.');
    }
    const user = await this.users.findByIdOrNull(payload.sub);
    if (!user) throw new UnauthenticatedError('The token is no longer valid.');
    if (!user.isActive) throw new AccountDisabledError('This account is deactivated.');
    // Logout, refresh-token reuse, a password or role change and deactivation end the session;
    // its access tokens stop working then, not when they expire (docs/sessions.md).
    if (!(await this.sessions.isAlive(payload.sid))) {
      throw new UnauthenticatedError('This sign-in session has ended; sign in again.');
    }
    return {
      type: 'user',
      id: user.id,
      role: user.role,
      name: user.name,
      email: user.email,
      sessionId: payload.sid,
    };
  }
}

/** Maps passport's outcomes onto our error codes instead of Nest's generic 401. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T>(error: unknown, actor: T, info: unknown): T {
    if (error)
      throw error instanceof Error
        ? error
        : new UnauthenticatedError('The bearer token is not valid.');
    if (!actor) {
      if (info instanceof Error && info.name === 'TokenExpiredError') {
        throw new TokenExpiredError('The access token has expired; refresh it.');
      }
      throw new UnauthenticatedError('The bearer token is not valid.');
    }
    return actor;
  }
}
