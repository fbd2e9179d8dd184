import type { Ticket } from './ticket.entity';
import type {
  CustomerTicketResponse,
  SlaSummary,
  StaffTicketResponse,
} from './dto/ticket.responses';

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

/** The customer's view: built field by field, so an internal column can never slip through. */
export function toCustomerTicket(ticket: Ticket): CustomerTicketResponse {
  const requester = ticket.requester;
  return {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    channel: ticket.channel,
    requester: {
      name: requester?.name ?? '',
      email: requester?.email ?? '',
      phone_number: requester?.phoneNumber ?? null,
    },
    resolution_notes: ticket.resolutionNotes,
    agent_name: ticket.assignee?.name ?? null,
    created_at: ticket.createdAt.toISOString(),
    updated_at: ticket.updatedAt.toISOString(),
    resolved_at: iso(ticket.resolvedAt),
    closed_at: iso(ticket.closedAt),
  };
}

/** The stored columns the SLA summary is computed from. */
export type SlaColumns = Pick<
  Ticket,
  | 'firstRespondedAt'
  | 'resolvedAt'
  | 'firstResponseDueAt'
  | 'firstResponseAtRiskAt'
  | 'firstResponseBreachedAt'
  | 'resolutionDueAt'
  | 'resolutionAtRiskAt'
  | 'resolutionBreachedAt'
  | 'slaPausedAt'
>;

/** The SLA summary from stored columns (see docs/sla.md). */
export function slaSummaryOf(ticket: SlaColumns, now: Date = new Date()): SlaSummary {
  const paused = ticket.slaPausedAt !== null;
  const firstResponseBreached =
    ticket.firstResponseBreachedAt !== null ||
    (ticket.firstResponseDueAt !== null &&
      (ticket.firstRespondedAt ?? now).getTime() > ticket.firstResponseDueAt.getTime());
  const resolutionBreached =
    ticket.resolutionBreachedAt !== null ||
    (ticket.resolutionDueAt !== null &&
      !paused &&
      (ticket.resolvedAt ?? now).getTime() > ticket.resolutionDueAt.getTime());
  const atRisk =
    (ticket.firstRespondedAt === null &&
      ticket.firstResponseAtRiskAt !== null &&
      ticket.firstResponseAtRiskAt <= now) ||
    (ticket.resolvedAt === null &&
      !paused &&
      ticket.resolutionAtRiskAt !== null &&
      ticket.resolutionAtRiskAt <= now);
  return {
    first_response_due_at: iso(ticket.firstResponseDueAt),
    first_response_breached: firstResponseBreached,
    resolution_due_at: iso(ticket.resolutionDueAt),
    resolution_breached: resolutionBreached,
    paused,
    state: firstResponseBreached || resolutionBreached ? 'breached' : atRisk ? 'at_risk' : 'ok',
  };
}

export function toStaffTicket(ticket: Ticket): StaffTicketResponse {
  const requester = ticket.requester;
  return {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    channel: ticket.channel,
    requester: {
      id: ticket.requesterId,
      name: requester?.name ?? '',
      email: requester?.email ?? '',
      phone_number: requester?.phoneNumber ?? null,
      organization: requester?.organization ?? null,
    },
    assignee: ticket.assignee
      ? { id: ticket.assignee.id, name: ticket.assignee.name, email: ticket.assignee.email }
      : null,
    tags: ticket.tags,
    custom_fields: ticket.customFields,
    resolution_notes: ticket.resolutionNotes,
    escalated: ticket.escalated,
    first_responded_at: iso(ticket.firstRespondedAt),
    sla: slaSummaryOf(ticket),
    version: ticket.version,
    created_at: ticket.createdAt.toISOString(),
    updated_at: ticket.updatedAt.toISOString(),
    resolved_at: iso(ticket.resolvedAt),
    closed_at: iso(ticket.closedAt),
  };
}
