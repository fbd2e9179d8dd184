import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from 'src/config/app-config';

const MAX_CACHED_SESSIONS = 10_000;

interface Cached {
  alive: boolean;
  until: number;
}

/**
 * "Is this sign-in session still alive?" — asked for every bearer token (the JWT strategy) and by
 * long-lived connections that must notice a revocation (the event stream). A session is a refresh
 * token family; it is alive while one of its rows is not revoked (logout, refresh-token reuse,
 * a password/role change or deactivation revoke them: docs/sessions.md).
 *
 * PostgreSQL is the truth, so every process sees a revocation; each process remembers an answer
 * for SESSION_CHECK_CACHE_MS (default 2 s): that is how long another process may still accept a
 * revoked session's access token. The revoking process forgets its answers at once.
 */
@Injectable()
export class SessionLiveness {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
  ) {}

  async isAlive(sessionId: string): Promise<boolean> {
    const now = Date.now();
    const cached = this.cache.get(sessionId);
    if (cached && cached.until > now) return cached.alive;
    const rows: { alive: boolean }[] = await this.txHost.tx.query(
      `SELECT EXISTS (SELECT 1 FROM auth_session WHERE family_id = $1 AND revoked_at IS NULL) AS alive`,
      [sessionId],
    );
    const alive = rows[0]?.alive === true;
    this.remember(sessionId, alive, now);
    return alive;
  }

  /** Drops this process's answers for sessions that were just revoked. */
  forget(sessionIds: Iterable<string>): void {
    for (const id of sessionIds) this.cache.delete(id);
  }

  private remember(sessionId: string, alive: boolean, now: number): void {
    const ttl = this.config.sessionCheckCacheMs;
    if (ttl === 0) return;
    this.cache.delete(sessionId); // re-insert at the end: the Map's order is least recent first
    if (this.cache.size >= MAX_CACHED_SESSIONS) {
      this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(sessionId, { alive, until: now + ttl });
  }
}
