import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@helpdesk/common';
import type { Role } from './roles';

export const ACCESS_RULE = 'access.rule';

/** Who may call a route. Every route declares one (a test walks them all). */
export type AccessRule =
  | { kind: 'public'; ownCredentials?: boolean }
  | { kind: 'authenticated'; ticketToken: boolean }
  | { kind: 'roles'; roles: Role[]; ticketToken: boolean };

/** The rules a route can declare, for `@Endpoint({ access })`. */
export const access = {
  /** No credentials needed; credentials that are sent are still checked and used. */
  public: (): AccessRule => ({ kind: 'public' }),
  /** No account needed: the route checks a credential of its own (`/metrics`, METRICS_TOKEN). */
  publicWithOwnCredentials: (): AccessRule => ({ kind: 'public', ownCredentials: true }),
  /** Any authenticated caller (user, API key); `ticketToken` admits a ticket's token too. */
  authenticated: (options: { ticketToken?: boolean } = {}): AccessRule => ({
    kind: 'authenticated',
    ticketToken: options.ticketToken ?? false,
  }),
  /** Staff roles are a hierarchy: `support` admits support, support_manager and admin. */
  roles: (...roles: Role[]): AccessRule => ({ kind: 'roles', roles, ticketToken: false }),
  /** Customers with a bearer token, or the holder of that ticket's X-Ticket-Token. */
  customerOrTicketToken: (): AccessRule => ({
    kind: 'roles',
    roles: ['customer'],
    ticketToken: true,
  }),
};

/** No credentials needed; credentials that are sent are still checked and used. */
export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);

/**
 * No account needed: the route checks a credential of its own (e.g. `/metrics` and
 * METRICS_TOKEN), so the Authorization header is left to it instead of being read as a JWT.
 */
export const PublicWithOwnCredentials = () =>
  SetMetadata(ACCESS_RULE, { kind: 'public', ownCredentials: true } satisfies AccessRule);

/** Any authenticated caller (user, API key). */
export const Authenticated = (options: { ticketToken?: boolean } = {}) =>
  SetMetadata(ACCESS_RULE, {
    kind: 'authenticated',
    ticketToken: options.ticketToken ?? false,
  } satisfies AccessRule);

/**
 * Callers with one of these roles. Staff roles are a hierarchy: `support` admits support,
 * support_manager and admin. `customer` admits customers only.
 */
export const Roles = (...roles: Role[]) =>
  SetMetadata(ACCESS_RULE, { kind: 'roles', roles, ticketToken: false } satisfies AccessRule);

/** Customers with a bearer token, or the holder of that ticket's X-Ticket-Token. */
export const CustomerOrTicketToken = () =>
  SetMetadata(ACCESS_RULE, {
    kind: 'roles',
    roles: ['customer'],
    ticketToken: true,
  } satisfies AccessRule);

/** The authenticated actor (null on a public route called anonymously). */
export const CurrentActor = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Actor | null => {
    return ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor ?? null;
  },
);
