import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { IsNull } from 'typeorm';
import { randomToken, safeEqual, sha256Hex, uuidv7 } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import type { User } from 'src/users/user.entity';
import { AuthSession } from './auth-session.entity';
import type { AccessTokenPayload } from './jwt.strategy';
import { SessionLiveness } from './session-liveness';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export type RefreshOutcome =
  | { kind: 'valid'; session: AuthSession }
  | { kind: 'reused'; familyId: string }
  | { kind: 'invalid' };

/** Access JWTs and rotating refresh tokens (`<session id>.<secret>`, only the hash stored). */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly liveness: SessionLiveness,
  ) {}

  private get sessions() {
    return this.txHost.tx.getRepository(AuthSession);
  }

  /** Starts a new sign-in session (a new refresh-token family) or continues `familyId`. */
  async issue(user: User, familyId: string = uuidv7()): Promise<IssuedTokens> {
    const secret = randomToken(32);
    const session = new AuthSession();
    session.userId = user.id;
    session.familyId = familyId;
    session.tokenHash = sha256Hex(secret);
    session.expiresAt = new Date(Date.now() + this.config.refreshTokenTtlDays * 86_400_000);
    session.usedAt = null;
    session.revokedAt = null;
    await this.sessions.save(session);
    const payload: AccessTokenPayload = { sub: user.id, sid: familyId, typ: 'access' };
    const accessToken = await this.jwt.signAsync(payload, {
      expiresIn: this.config.accessTokenTtlSeconds,
      jwtid: uuidv7(),
    });
    return {
      accessToken,
      refreshToken: `${session.id}.${secret}`,
      expiresIn: this.config.accessTokenTtlSeconds,
    };
  }

  /** Checks a presented refresh token and spends it; a spent one reports the family to revoke. */
  async spend(refreshToken: string): Promise<RefreshOutcome> {
    const [sessionId, secret] = refreshToken.split('.');
    if (!sessionId || !secret || !/^[0-9a-f-]{36}$/i.test(sessionId)) return { kind: 'invalid' };
    const session = await this.sessions.findOne({
      where: { id: sessionId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!session || !safeEqual(session.tokenHash, sha256Hex(secret))) return { kind: 'invalid' };
    if (session.usedAt || session.revokedAt) return { kind: 'reused', familyId: session.familyId };
    if (session.expiresAt.getTime() <= Date.now()) return { kind: 'invalid' };
    session.usedAt = new Date();
    await this.sessions.save(session);
    return { kind: 'valid', session };
  }

  /** Ends one sign-in session: its refresh token and, at once, its access tokens. */
  async revokeFamily(familyId: string): Promise<void> {
    await this.sessions.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.liveness.forget([familyId]);
  }

  /**
   * Ends every sign-in session of a user but `keepFamilyId` (the caller's own, when users change
   * their own password): after a password reset, role change or deactivation.
   */
  async revokeAllForUser(userId: string, keepFamilyId?: string): Promise<void> {
    const result: unknown[] = await this.txHost.tx.query(
      `UPDATE auth_session SET revoked_at = now()
       WHERE user_id = $1 AND revoked_at IS NULL AND family_id IS DISTINCT FROM $2
       RETURNING family_id`,
      [userId, keepFamilyId ?? null],
    );
    // TypeORM answers an UPDATE … RETURNING as [rows, count].
    const returned = (Array.isArray(result[0]) ? result[0] : result) as { family_id: string }[];
    this.liveness.forget(new Set(returned.map((row) => row.family_id)));
  }
}
