import { statusMoveRefusal } from './ticket-policy';
import { InvalidStatusTransitionError } from './tickets.errors';

export const TICKET_STATUSES = [
  'open',
  'in_progress',
  'pending',
  'waiting_customer',
  'resolved',
  'closed',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** The workflow of API.md section 6: every legal move, and nothing else. */
export const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  open: ['in_progress', 'pending', 'waiting_customer', 'resolved'],
  in_progress: ['open', 'pending', 'waiting_customer', 'resolved'],
  pending: ['open', 'in_progress', 'waiting_customer', 'resolved'],
  waiting_customer: ['open', 'in_progress', 'resolved'],
  resolved: ['open', 'closed'],
  closed: ['open'],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Moves that are legal but reserved to support_manager and above. */
export function requiresManager(from: TicketStatus, to: TicketStatus): boolean {
  return to === 'closed' || from === 'closed';
}

/** Refuses a move the workflow does not have (409), whoever asks. */
export function assertLegalMove(from: TicketStatus, to: TicketStatus): void {
  if (!canTransition(from, to)) {
    throw new InvalidStatusTransitionError(`A ticket in status '${from}' cannot move to '${to}'.`, {
      errors: [
        {
          field: 'status',
          message: `allowed from '${from}': ${TRANSITIONS[from].join(', ') || 'none'}`,
        },
      ],
    });
  }
}

/**
 * Checks a move for a caller with `role` (null for the system, which may do any legal move).
 * Illegal moves are 409 whatever the role; legal moves reserved to managers are 403 (the rule
 * lives in the policy table, ticket-policy.ts).
 */
export function assertTransition(from: TicketStatus, to: TicketStatus, role: string | null): void {
  assertLegalMove(from, to);
  const refusal = statusMoveRefusal(from, to, role);
  if (refusal) throw refusal;
}

/** The resolution/closure timestamps after a move (reopening clears them). */
export function lifecycleTimestamps(
  to: TicketStatus,
  current: { resolvedAt: Date | null; closedAt: Date | null },
  now: Date,
): { resolvedAt: Date | null; closedAt: Date | null } {
  switch (to) {
    case 'resolved':
      return { resolvedAt: now, closedAt: null };
    case 'closed':
      return { resolvedAt: current.resolvedAt ?? now, closedAt: now };
    default:
      return { resolvedAt: null, closedAt: null };
  }
}
