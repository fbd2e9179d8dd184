import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, RequestContext, UnauthenticatedError, type Actor } from '@helpdesk/common';
import { hasStaffRole, isStaffRole, type Role } from 'src/access/roles';
import { ACCESS_RULE, type AccessRule } from 'src/access/access.decorators';
import { ApiKeysService } from './api-keys.service';
import { CredentialResolvers } from './credential-resolvers';
import { JwtAuthGuard } from './jwt.strategy';

type AuthedRequest = FastifyRequest & { actor?: Actor; user?: Actor };

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Deny by default: identifies the caller from X-API-Key, a bearer token or X-Ticket-Token, then
 * checks the route's declared rule. A route without a rule is refused (and fails a test).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwtGuard: JwtAuthGuard,
    private readonly apiKeys: ApiKeysService,
    private readonly resolvers: CredentialResolvers,
    private readonly context: RequestContext,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!rule) throw new ForbiddenError('This route declares no access rule.');
    const request = ctx.switchToHttp().getRequest<AuthedRequest>();
    const actor = await this.identify(ctx, request, rule);
    request.actor = actor ?? undefined;
    if (actor) this.context.actor = actor;
    this.authorize(rule, actor);
    return true;
  }

  private async identify(
    ctx: ExecutionContext,
    request: AuthedRequest,
    rule: AccessRule,
  ): Promise<Actor | null> {
    if (rule.kind === 'public' && rule.ownCredentials) return null;
    const apiKey = headerValue(request, 'x-api-key');
    if (apiKey !== undefined) return this.apiKeys.authenticate(apiKey);
    if (headerValue(request, 'authorization') !== undefined) {
      await this.jwtGuard.canActivate(ctx);
      return request.user ?? null;
    }
    const ticketToken = headerValue(request, 'x-ticket-token');
    if (ticketToken !== undefined) {
      if (rule.kind === 'public' || !rule.ticketToken) {
        throw new UnauthenticatedError('A ticket token only opens its ticket’s portal routes.');
      }
      const actor = await this.resolvers.resolveTicketToken(ticketToken);
      if (!actor) throw new UnauthenticatedError('The ticket token is not valid.');
      return actor;
    }
    return null;
  }

  private authorize(rule: AccessRule, actor: Actor | null): void {
    if (rule.kind === 'public') return;
    if (!actor) throw new UnauthenticatedError('Credentials are required.');
    if (actor.type === 'ticket_token') {
      if (rule.ticketToken) return;
      throw new UnauthenticatedError('A ticket token only opens its ticket’s portal routes.');
    }
    if (rule.kind === 'authenticated') return;
    if (rule.roles.some((required) => this.admits(required, actor.role))) return;
    throw new ForbiddenError('Your role may not do this.');
  }

  private admits(required: Role, actual: string | null): boolean {
    return isStaffRole(required) ? hasStaffRole(actual, required) : actual === required;
  }
}
