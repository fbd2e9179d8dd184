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

/** The stored columns the SLA summary reads (the export passes just these). */
export type SlaColumns = Pick<
  Ticket,
  | 'firstResponseDueAt'
  | 'firstResponseBreachedAt'
  | 'resolutionDueAt'
  | 'resolutionBreachedAt'
  | 'slaPausedAt'
  | 'resolvedAt'
  | 'slaState'
>;

/**
 * The SLA summary, all from stored columns (docs/sla.md), so it agrees with the `sla=` filter:
 * the sweep moves the state on as time passes, up to one SLA_SWEEP_INTERVAL_MS behind the clock.
 * `paused` is the resolution clock waiting for the customer (a resolved ticket's clock is
 * stopped, not paused).
 */
export function slaSummaryOf(ticket: SlaColumns): SlaSummary {
  return {
    first_response_due_at: iso(ticket.firstResponseDueAt),
    first_response_breached: ticket.firstResponseBreachedAt !== null,
    resolution_due_at: iso(ticket.resolutionDueAt),
    resolution_breached: ticket.resolutionBreachedAt !== null,
    paused: ticket.slaPausedAt !== null && ticket.resolvedAt === null,
    state: ticket.slaState,
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
    reply_count: ticket.replyCount ?? 0,
    attachment_count: ticket.attachmentCount ?? 0,
    created_by: ticket.createdByType
      ? { type: ticket.createdByType, id: ticket.createdById }
      : null,
    created_at: ticket.createdAt.toISOString(),
    updated_at: ticket.updatedAt.toISOString(),
    resolved_at: iso(ticket.resolvedAt),
    closed_at: iso(ticket.closedAt),
  };
}
