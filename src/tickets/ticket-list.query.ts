import type { SelectQueryBuilder } from 'typeorm';
import { normalizeEmail } from '@helpdesk/common';
import type { Ticket } from './ticket.entity';
import type { TicketChannel, TicketPriority, TicketSlaState } from './ticket-enums';
import type { TicketStatus } from './ticket-status';

export const SORTABLE_FIELDS = [
  'created_at',
  'updated_at',
  'priority',
  'status',
  'number',
  'resolution_due_at',
  'relevance',
] as const;
export type SortField = (typeof SORTABLE_FIELDS)[number];

export type SlaFilter = TicketSlaState;

export interface TicketListFilter {
  q?: string;
  /** The whole `q` when it is a ticket number (`123` or `#123`). */
  number?: number;
  statuses?: TicketStatus[];
  priorities?: TicketPriority[];
  category?: string;
  tag?: string;
  channel?: TicketChannel;
  /** A user id, or `none` for unassigned tickets. */
  assigneeId?: string;
  requesterId?: string;
  requesterEmail?: string;
  sla?: SlaFilter;
  createdFrom?: Date;
  createdTo?: Date;
  updatedFrom?: Date;
  updatedTo?: Date;
  sort: { field: SortField; direction: 'ASC' | 'DESC' };
  page: number;
  limit: number;
  offset?: number;
}

const SORT_COLUMNS: Record<Exclude<SortField, 'relevance'>, string> = {
  created_at: 't.created_at',
  updated_at: 't.updated_at',
  priority: 't.priority',
  status: 't.status',
  number: 't.number',
  resolution_due_at: 't.resolution_due_at',
};

/** Adds the staff list filters to a query over live tickets aliased `t`. */
export function applyTicketFilters(
  query: SelectQueryBuilder<Ticket>,
  filter: TicketListFilter,
): SelectQueryBuilder<Ticket> {
  query.andWhere('t.deleted_at IS NULL');
  if (filter.q !== undefined) {
    if (filter.number !== undefined) {
      query.andWhere(
        "(t.number = :number OR t.search_vector @@ websearch_to_tsquery('english', :q))",
        {
          number: filter.number,
          q: filter.q,
        },
      );
    } else {
      query.andWhere("t.search_vector @@ websearch_to_tsquery('english', :q)", { q: filter.q });
    }
  }
  if (filter.statuses?.length)
    query.andWhere('t.status IN (:...statuses)', { statuses: filter.statuses });
  if (filter.priorities?.length)
    query.andWhere('t.priority IN (:...priorities)', { priorities: filter.priorities });
  if (filter.category !== undefined)
    query.andWhere('t.category = :category', { category: filter.category });
  if (filter.tag !== undefined)
    query.andWhere('t.tags @> ARRAY[:tag]::text[]', { tag: filter.tag });
  if (filter.channel !== undefined)
    query.andWhere('t.channel = :channel', { channel: filter.channel });
  if (filter.assigneeId === 'none') query.andWhere('t.assignee_id IS NULL');
  else if (filter.assigneeId !== undefined)
    query.andWhere('t.assignee_id = :assigneeId', { assigneeId: filter.assigneeId });
  if (filter.requesterId !== undefined)
    query.andWhere('t.requester_id = :requesterId', { requesterId: filter.requesterId });
  if (filter.requesterEmail !== undefined) {
    query.andWhere(
      't.requester_id IN (SELECT u.id FROM app_user u WHERE u.email_normalized = :requesterEmail)',
      {
        requesterEmail: normalizeEmail(filter.requesterEmail),
      },
    );
  }
  // The stored state the SLA module keeps (docs/sla.md): one indexed equality the planner can
  // estimate, where a predicate over the due-time columns left it guessing.
  if (filter.sla !== undefined) query.andWhere('t.sla_state = :sla', { sla: filter.sla });
  if (filter.createdFrom)
    query.andWhere('t.created_at >= :createdFrom', { createdFrom: filter.createdFrom });
  if (filter.createdTo)
    query.andWhere('t.created_at < :createdTo', { createdTo: filter.createdTo });
  if (filter.updatedFrom)
    query.andWhere('t.updated_at >= :updatedFrom', { updatedFrom: filter.updatedFrom });
  if (filter.updatedTo)
    query.andWhere('t.updated_at < :updatedTo', { updatedTo: filter.updatedTo });
  return query;
}

/**
 * Orders by the chosen field, then by created_at and id in the same direction, which is exactly
 * the column order of that field's index (see docs/tickets.md), so a page is an index range scan.
 */
export function applyTicketSort(
  query: SelectQueryBuilder<Ticket>,
  filter: TicketListFilter,
): SelectQueryBuilder<Ticket> {
  const { field, direction } = filter.sort;
  if (field === 'relevance') {
    // Only meaningful with q; ties (and everything without q) fall back to newest first.
    if (filter.q !== undefined) {
      query.addSelect("ts_rank(t.search_vector, websearch_to_tsquery('english', :q))", 'relevance');
      query.orderBy('relevance', direction);
    }
    return query.addOrderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC');
  }
  if (field === 'number') return query.orderBy('t.number', direction);
  query.orderBy(SORT_COLUMNS[field], direction);
  if (field !== 'created_at') query.addOrderBy('t.created_at', direction);
  return query.addOrderBy('t.id', direction);
}
