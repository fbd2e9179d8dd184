import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { normalizeEmail, RateLimitedError, type Actor } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { RateCounter } from 'src/redis/rate-counter';

/**
 * Public intake: at most INTAKE_RATE_LIMIT_PER_CUSTOMER_PER_HOUR tickets per customer per hour,
 * on top of the per-IP limit. The customer is the signed-in account's email or, anonymously,
 * the requester email sent (normalised, so signing out or changing case does not help).
 * Integration API keys open tickets for many customers and are not counted here.
 */
@Injectable()
export class IntakeRateLimitGuard implements CanActivate {
  constructor(
    private readonly config: AppConfig,
    private readonly counter: RateCounter,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const request = ctx.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    const actor = request.actor;
    if (actor?.type === 'api_key') return true;
    const sent = (request.body as { email?: unknown } | undefined)?.email;
    const email = actor?.type === 'user' ? actor.email : typeof sent === 'string' ? sent : null;
    if (!email) return true; // validation answers 422 for a missing email
    const retryAfter = await this.counter.consume({
      name: 'intake-customer',
      subject: normalizeEmail(email),
      limit: this.config.intakeRateLimitPerCustomerPerHour,
      windowSeconds: 3600,
    });
    if (retryAfter !== null) {
      throw new RateLimitedError(retryAfter, 'Too many new tickets for this customer; try later.');
    }
    return true;
  }
}
