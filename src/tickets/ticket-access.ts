import { NotFoundError, type Actor } from '@helpdesk/common';
import { isStaffRole } from 'src/access/roles';
import type { Ticket } from './ticket.entity';

/**
 * The one row-access rule for tickets: staff (users and API keys) and the system itself (the SLA
 * sweep, auto-close) see every live ticket; a customer sees their own; a ticket token sees its one
 * ticket. Anyone else gets 404, never 403, so ticket ids cannot be probed.
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
