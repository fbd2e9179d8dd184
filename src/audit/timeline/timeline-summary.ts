/** What the summary needs of one audit entry (see AuditLogEntry). */
export interface TimelineEntry {
  occurredAt: Date;
  action: string;
  actorType: string;
  actorId: string | null;
  changes: Record<string, unknown>;
  details: Record<string, unknown>;
}

const when = (date: Date): string =>
  `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)} UTC`;

/** A value from an entry's JSON as display text (entries hold strings and numbers). */
const text = (value: unknown, fallback: string): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * A one-paragraph plain-text history of a ticket from its audit entries, oldest first:
 * "Opened by Ada via web on 2026-11-21 09:30 UTC; assigned to Grace; replied 2 times; resolved on …".
 * Repeated kinds of event (replies, notes) are counted; moves and assignments are told in order.
 */
export function summarizeTimeline(
  entries: readonly TimelineEntry[],
  names: ReadonlyMap<string, string>,
): string {
  const nameOf = (id: unknown, fallback = 'someone'): string =>
    typeof id === 'string' ? (names.get(id) ?? fallback) : fallback;
  const actorName = (entry: TimelineEntry): string =>
    entry.actorType === 'system'
      ? 'the system'
      : entry.actorType === 'api_key'
        ? `integration ${nameOf(entry.actorId, 'key')}`
        : nameOf(entry.actorId, 'the customer');
  const parts: string[] = [];
  let replies = 0;
  let customerMessages = 0;
  let notes = 0;
  for (const entry of entries) {
    const change = (field: string): [unknown, unknown] | undefined =>
      entry.changes[field] as [unknown, unknown] | undefined;
    switch (entry.action) {
      case 'ticket.create': {
        const channel = change('channel')?.[1];
        parts.push(
          `Opened by ${actorName(entry)}${channel ? ` via ${text(channel, '')}` : ''} on ${when(entry.occurredAt)}`,
        );
        const assignee = change('assignee_id')?.[1];
        if (assignee) parts.push(`assigned to ${nameOf(assignee)}`);
        break;
      }
      case 'ticket.assignee.update': {
        const to = change('assignee_id')?.[1];
        parts.push(to ? `assigned to ${nameOf(to)}` : 'unassigned');
        break;
      }
      case 'ticket.status.update': {
        // An automatic close is told by its own ticket.auto_close entry.
        if (entry.details.cause === 'auto_close') break;
        const to = change('status')?.[1];
        const from = change('status')?.[0];
        if (to === 'resolved') parts.push(`resolved on ${when(entry.occurredAt)}`);
        else if (to === 'closed') parts.push(`closed on ${when(entry.occurredAt)}`);
        else if (from === 'resolved' || from === 'closed')
          parts.push(`reopened on ${when(entry.occurredAt)}`);
        else if (typeof to === 'string') parts.push(`moved to ${to.replace(/_/g, ' ')}`);
        break;
      }
      case 'ticket.priority.update':
        parts.push(
          `priority changed from ${text(change('priority')?.[0], '?')} to ${text(change('priority')?.[1], '?')}`,
        );
        break;
      case 'ticket.reply':
        replies += 1;
        break;
      case 'ticket.customer_reply':
        customerMessages += 1;
        break;
      case 'ticket.note.create':
        notes += 1;
        break;
      case 'ticket.escalate':
        parts.push(`escalated by ${actorName(entry)} on ${when(entry.occurredAt)}`);
        break;
      case 'ticket.sla.breach':
        parts.push(`breached its ${text(entry.details.target, 'SLA').replace(/_/g, ' ')} target`);
        break;
      case 'ticket.auto_close':
        parts.push(`closed automatically on ${when(entry.occurredAt)}`);
        break;
      case 'ticket.rating':
        parts.push(`rated ${text(entry.details.score, '?')}/5`);
        break;
      case 'ticket.delete':
        parts.push(`deleted by ${actorName(entry)} on ${when(entry.occurredAt)}`);
        break;
      default:
        break;
    }
  }
  if (replies) parts.push(`replied ${plural(replies, 'time', 'times')}`);
  if (customerMessages)
    parts.push(`the customer wrote ${plural(customerMessages, 'time', 'times')}`);
  if (notes) parts.push(plural(notes, 'internal note', 'internal notes'));
  return parts.length ? `${parts.join('; ')}.` : 'No recorded history.';
}
