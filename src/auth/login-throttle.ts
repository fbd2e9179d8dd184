import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { normalizeEmail, sha256Hex } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { REDIS } from 'src/redis/redis.module';

const MAX_FAILURES = 5;
const WINDOW_SECONDS = 15 * 60;

/**
 * Counts failed logins per email (known or not) in a 15-minute window that starts at the first
 * failure. While Redis is unreachable the throttle fails open and says so in the log.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  private key(email: string): string {
    return `${this.config.redisPrefix}:login-failures:${sha256Hex(normalizeEmail(email))}`;
  }

  /** Seconds until the email may try again, or null when it is not locked. */
  async lockedFor(email: string): Promise<number | null> {
    try {
      const [count, ttl] = await this.redis
        .multi()
        .get(this.key(email))
        .ttl(this.key(email))
        .exec()
        .then((results) => (results ?? []).map(([, value]) => value) as [string | null, number]);
      return Number(count ?? 0) >= MAX_FAILURES ? Math.max(ttl, 1) : null;
    } catch (error) {
      this.logger.warn(`login throttle unavailable: ${(error as Error).message}`);
      return null;
    }
  }

  async recordFailure(email: string): Promise<void> {
    try {
      const key = this.key(email);
      const count = await this.redis.incr(key);
      if (count === 1) await this.redis.expire(key, WINDOW_SECONDS);
    } catch (error) {
      this.logger.warn(`login throttle unavailable: ${(error as Error).message}`);
    }
  }

  async reset(email: string): Promise<void> {
    await this.redis.del(this.key(email)).catch(() => undefined);
  }
}
