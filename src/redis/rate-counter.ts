import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { sha256Hex } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { REDIS } from './redis.token';

/** One counted quantity: `limit` units of `name` per `subject` per fixed window. */
export interface Bucket {
  /** What is counted, e.g. `login-account` (part of the Redis key). */
  name: string;
  /** Whose count it is (an IP, a normalised email, an id); hashed before it reaches Redis. */
  subject: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Fixed-window counters in Redis, shared by every API process: rate limits and upload quotas.
 * A limit of 0 means "off". Counting is a protection, not a dependency: while Redis is down every
 * check passes and the log says so once per failure.
 */
@Injectable()
export class RateCounter {
  private readonly logger = new Logger(RateCounter.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Counts `amount` units; answers the seconds to wait when the window is now over its limit. */
  async consume(bucket: Bucket, amount = 1): Promise<number | null> {
    if (bucket.limit === 0) return null;
    const { key, retryAfter } = this.window(bucket);
    try {
      const [[, count]] = (await this.redis
        .multi()
        .incrby(key, amount)
        .expire(key, bucket.windowSeconds + 1)
        .exec()) as [[Error | null, number]];
      return count > bucket.limit ? retryAfter : null;
    } catch (error) {
      this.unavailable(error);
      return null;
    }
  }

  /** Seconds to wait when `amount` more units would go over the limit (nothing is counted). */
  async wouldExceed(bucket: Bucket, amount: number): Promise<number | null> {
    if (bucket.limit === 0) return null;
    const { key, retryAfter } = this.window(bucket);
    try {
      const used = Number((await this.redis.get(key)) ?? 0);
      return used + amount > bucket.limit ? retryAfter : null;
    } catch (error) {
      this.unavailable(error);
      return null;
    }
  }

  private window(bucket: Bucket): { key: string; retryAfter: number } {
    const nowSeconds = Date.now() / 1000;
    const index = Math.floor(nowSeconds / bucket.windowSeconds);
    const subject = sha256Hex(bucket.subject).slice(0, 32);
    return {
      key: `${this.config.redisPrefix}:rate:${bucket.name}:${index}:${subject}`,
      retryAfter: Math.max(1, Math.ceil((index + 1) * bucket.windowSeconds - nowSeconds)),
    };
  }

  private unavailable(error: unknown): void {
    this.logger.warn(`rate counter unavailable: ${(error as Error).message}`);
  }
}
