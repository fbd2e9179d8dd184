import { ValidationFailedError, type Actor, pageRequestOf } from '@helpdesk/common';
import type { TicketQueryDto } from './dto';
import type { SortField, TicketListFilter } from './ticket-list.query';

/** Turns the validated query string into the repository's filter (resolving `me`, numbers, sort). */
export function toTicketListFilter(query: TicketQueryDto, actor: Actor): TicketListFilter {
  const sort = query.sort ?? '-created_at';
  const field = sort.replace(/^-/, '') as SortField;
  if (field === 'relevance' && query.q === undefined) {
    throw ValidationFailedError.forField('sort', 'sort=relevance needs q');
  }
  const numberMatch = query.q ? /^#?(\d{1,15})$/.exec(query.q.trim()) : null;
  let assigneeId: string | undefined = query.assignee_id;
  if (assigneeId === 'me') {
    if (actor.type !== 'user')
      throw ValidationFailedError.forField('assignee_id', 'assignee_id=me needs a signed-in user');
    assigneeId = actor.id!;
  }
  return {
    q: query.q,
    number: numberMatch ? Number(numberMatch[1]) : undefined,
    statuses: query.status,
    priorities: query.priority,
    category: query.category,
    tag: query.tag?.toLowerCase(),
    channel: query.channel,
    assigneeId,
    requesterId: query.requester_id,
    requesterEmail: query.requester_email,
    sla: query.sla,
    createdFrom: query.created_from ? new Date(query.created_from) : undefined,
    createdTo: query.created_to ? new Date(query.created_to) : undefined,
    updatedFrom: query.updated_from ? new Date(query.updated_from) : undefined,
    updatedTo: query.updated_to ? new Date(query.updated_to) : undefined,
    sort: { field, direction: sort.startsWith('-') ? 'DESC' : 'ASC' },
    ...pageRequestOf(query),
  };
}
