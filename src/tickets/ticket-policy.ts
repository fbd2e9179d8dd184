import { ForbiddenError, NotFoundError, type Actor } from '@helpdesk/common';
import { hasStaffRole, isStaffRole } from 'src/access/roles';
import { requiresManager, type TicketStatus } from './ticket-status';
import type { Ticket } from './ticket.entity';
import { TicketClosedError } from './tickets.errors';

/**
 * Every "who may do what to a ticket" rule, in one table (the status workflow's legal moves stay
 * in ticket-status.ts: they are about the ticket, not about who asks). A use case asks
 * `assertAllowed(action, actor, ticket)` once, after locking the ticket; each row answers with
 * the refusal the API promises (404 for what the caller may not see, 403 for a role that may
 * not, 409 for a closed ticket) or null. Unit-tested row by row in ticket-policy.spec.ts.
 */
export type TicketAction =
  | 'view'
  | 'reply'
  | 'customer_message'
  | 'assign'
  | 'assign_to'
  | 'escalate'
  | 'change_priority'
  | 'change_status'
  | 'delete'
  | 'customer_attachment';

/** What a rule may look at: the caller, the ticket as locked, and the action's own facts. */
export interface PolicyFacts {
  /** `assign`: the assignee asked for (null = unassign). */
  assigneeId?: string | null;
  /** `change_status`: where the ticket is asked to move. */
  to?: TicketStatus;
}

type PolicyTicket = Pick<Ticket, 'id' | 'requesterId' | 'deletedAt' | 'status' | 'assigneeId'>;

type Refusal = Error | null;
type Rule = (actor: Actor | null, ticket: PolicyTicket, facts: PolicyFacts) => Refusal;

const isManager = (actor: Actor | null) => hasStaffRole(actor?.role, 'support_manager');
const isSelf = (actor: Actor | null, userId: string | null | undefined) =>
  actor?.type === 'user' && userId != null && actor.id === userId;

/** Closed tickets refuse conversation and workflow changes until reopened (API.md section 6). */
const notClosed =
  (message: string): Rule =>
  (_actor, ticket) =>
    ticket.status === 'closed' ? new TicketClosedError(message) : null;

const CLOSED_FOR_CUSTOMERS = 'This ticket is closed; please open a new one.';

export const TICKET_POLICY: Readonly<Record<TicketAction, readonly Rule[]>> = {
  view: [],
  reply: [notClosed('A closed ticket cannot be replied to; reopen it first.')],
  customer_message: [notClosed(CLOSED_FOR_CUSTOMERS)],
  // A customer's uploads (and deleting their own) on a ticket that is still open to them.
  customer_attachment: [notClosed(CLOSED_FOR_CUSTOMERS)],
  assign: [notClosed('A closed ticket cannot be reassigned; reopen it first.')],
  // Checked once the assignee is known to be active staff (422 comes before 403).
  assign_to: [
    (actor, ticket, { assigneeId }) => {
      if (isManager(actor)) return null;
      if (assigneeId === null || assigneeId === undefined) {
        // Support may let go of their own ticket (or of one nobody holds), not of a colleague's.
        return ticket.assigneeId === null || isSelf(actor, ticket.assigneeId)
          ? null
          : new ForbiddenError('Support agents may only unassign themselves.');
      }
      return isSelf(actor, assigneeId)
        ? null
        : new ForbiddenError('Support agents may only assign tickets to themselves.');
    },
  ],
  escalate: [notClosed('A closed ticket cannot be escalated; reopen it first.')],
  change_priority: [
    (actor) =>
      isManager(actor) ? null : new ForbiddenError('Changing the priority needs support_manager.'),
  ],
  // Whether the move is legal at all is the workflow's (ticket-status.ts, 409), checked first.
  change_status: [
    (actor, ticket, { to }) => statusMoveRefusal(ticket.status, to ?? ticket.status, actor?.role),
  ],
  delete: [
    (actor) =>
      mayDeleteTickets(actor) ? null : new ForbiddenError('Deleting tickets needs admin.'),
  ],
};

/** Deleting is the admins' (a bulk delete is refused as a whole, before any ticket is locked). */
export function mayDeleteTickets(actor: Actor | null): boolean {
  return hasStaffRole(actor?.role, 'admin');
}

/**
 * Closing and reopening a closed ticket are reserved to support_manager and above; the system
 * (role null or 'system': auto-close, a customer's message reopening their ticket) may make any
 * legal move.
 */
export function statusMoveRefusal(
  from: TicketStatus,
  to: TicketStatus,
  role: string | null | undefined,
): Error | null {
  if (role === null || role === undefined || role === 'system') return null;
  if (!requiresManager(from, to) || hasStaffRole(role, 'support_manager')) return null;
  return new ForbiddenError(
    to === 'closed'
      ? 'Closing a ticket needs support_manager.'
      : 'Reopening a closed ticket needs support_manager.',
  );
}

/**
 * Who sees a ticket: staff (users and API keys) and the system see every live ticket; a
 * customer sees their own; a ticket token sees its one ticket. Anyone else gets 404, never 403,
 * so ticket ids cannot be probed.
 */
export function canView(
  actor: Actor | null,
  ticket: Pick<Ticket, 'id' | 'requesterId' | 'deletedAt'>,
): boolean {
  if (!actor || ticket.deletedAt) return false;
  if (actor.type === 'ticket_token') return actor.ticketId === ticket.id;
  if (actor.type === 'system' || isStaffRole(actor.role)) return true;
  return actor.role === 'customer' && actor.type === 'user' && actor.id === ticket.requesterId;
}

export function assertCanView<T extends Pick<Ticket, 'id' | 'requesterId' | 'deletedAt'>>(
  actor: Actor | null,
  ticket: T | null,
  id: string,
): T {
  if (!ticket || !canView(actor, ticket)) throw new NotFoundError(`No ticket ${id}.`);
  return ticket;
}

/** The first refusal of `action`'s rules for this caller and ticket, or null when allowed. */
export function refusalOf(
  action: TicketAction,
  actor: Actor | null,
  ticket: PolicyTicket,
  facts: PolicyFacts = {},
): Error | null {
  if (!canView(actor, ticket)) return new NotFoundError(`No ticket ${ticket.id}.`);
  for (const rule of TICKET_POLICY[action]) {
    const refusal = rule(actor, ticket, facts);
    if (refusal) return refusal;
  }
  return null;
}

export function assertAllowed(
  action: TicketAction,
  actor: Actor | null,
  ticket: PolicyTicket,
  facts: PolicyFacts = {},
): void {
  const refusal = refusalOf(action, actor, ticket, facts);
  if (refusal) throw refusal;
}
