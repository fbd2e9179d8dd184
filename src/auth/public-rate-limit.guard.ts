import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { RateLimitedError, type Actor } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { REDIS } from 'src/redis/redis.module';
import { ACCESS_RULE, type AccessRule } from 'src/access/access.decorators';

/**
 * Calls to public routes: at most PUBLIC_RATE_LIMIT_PER_MINUTE per client IP per minute (fixed
 * window in Redis), whoever calls — a customer's or staff member's token exempts nothing. Only
 * integration API keys (admin-issued, revocable, server to server) and health/docs are not
 * counted. `request.ip` follows TRUST_PROXY (src/config/client-ip.ts).
 */
@Injectable()
export class PublicRateLimitGuard implements CanActivate {
  private readonly logger = new Logger(PublicRateLimitGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const limit = this.config.publicRateLimitPerMinute;
    if (limit === 0 || ctx.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    const request = ctx.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    if (rule?.kind !== 'public' || !request.url.startsWith('/api/')) return true;
    if (request.actor?.type === 'api_key') return true;
    const window = Math.floor(Date.now() / 60_000);
    const key = `${this.config.redisPrefix}:public-rate:${request.ip}:${window}`;
    let count: number;
    try {
      count = await this.redis.incr(key);
      if (count === 1) await this.redis.expire(key, 61);
    } catch (error) {
      // Rate limiting is a protection, not a dependency: fail open while Redis is down.
      this.logger.warn(`public rate limit unavailable: ${(error as Error).message}`);
      return true;
    }
    if (count > limit) throw new RateLimitedError(60 - (Math.floor(Date.now() / 1000) % 60));
    return true;
  }
}
