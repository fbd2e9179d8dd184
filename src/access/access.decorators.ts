import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@helpdesk/common';
import type { Role } from './role';

export const ACCESS_RULE = 'access.rule';

/** Who may call a route. Every route declares one through `@Endpoint` (a test walks them all). */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'authenticated'; ticketToken: boolean }
  | { kind: 'roles'; roles: Role[]; ticketToken: boolean };

/** The rules a route can declare, for `@Endpoint({ access })`. */
export const access = {
  /** No credentials needed; credentials that are sent are still checked and used. */
  public: (): AccessRule => ({ kind: 'public' }),
  /** Any authenticated caller (user, API key); `ticketToken` admits a ticket's token too. */
  authenticated: (options: { ticketToken?: boolean } = {}): AccessRule => ({
    kind: 'authenticated',
    ticketToken: options.ticketToken ?? false,
  }),
  /**
   * Callers with one of these roles. Staff roles are a hierarchy: `support` admits support,
   * support_manager and admin. `customer` admits customers only.
   */
  roles: (...roles: Role[]): AccessRule => ({ kind: 'roles', roles, ticketToken: false }),
  /** Customers with a bearer token, or the holder of that ticket's X-Ticket-Token. */
  customerOrTicketToken: (): AccessRule => ({
    kind: 'roles',
    roles: ['customer'],
    ticketToken: true,
  }),
};

/** The authenticated actor (null on a public route called anonymously). */
export const CurrentActor = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Actor | null => {
    return ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor ?? null;
  },
);
