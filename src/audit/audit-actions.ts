/**
 * Which domain events become audit entries, and under which action (API.md section 8). An event
 * type missing here is not audited: adding one is a deliberate change to what the log promises.
 */
export const AUDIT_ACTION_BY_EVENT_TYPE: Readonly<Record<string, string>> = Object.freeze({
  'ticket.created': 'ticket.create',
  'ticket.updated': 'ticket.update',
  'ticket.deleted': 'ticket.delete',
  'ticket.status_changed': 'ticket.status.update',
  'ticket.assigned': 'ticket.assignee.update',
  'ticket.priority_changed': 'ticket.priority.update',
  'ticket.replied': 'ticket.reply',
  'ticket.customer_replied': 'ticket.customer_reply',
  'ticket.note_created': 'ticket.note.create',
  'ticket.note_deleted': 'ticket.note.delete',
  'ticket.attachment_added': 'ticket.attachment.create',
  'ticket.attachment_deleted': 'ticket.attachment.delete',
  'ticket.escalated': 'ticket.escalate',
  'ticket.sla_breached': 'ticket.sla.breach',
  'ticket.auto_closed': 'ticket.auto_close',
  'ticket.rated': 'ticket.rating',
  'ticket.exported': 'ticket.export',
  'ticket.access_token_rotated': 'ticket.access_token.rotate',
  'user.created': 'user.create',
  'user.updated': 'user.update',
  'auth.login': 'auth.login',
  'auth.login_failed': 'auth.login_failed',
  'api_key.created': 'api_key.create',
  'api_key.revoked': 'api_key.revoke',
  'sla_policy.updated': 'sla_policy.update',
  'business_hours.updated': 'business_hours.update',
  'notification.retried': 'notification.retry',
  'webhook.created': 'webhook.create',
  'webhook.updated': 'webhook.update',
  'webhook.deleted': 'webhook.delete',
  'webhook.delivery_requeued': 'webhook.redeliver',
});

/**
 * Status changes that also get an entry of their own, so "who closed / reopened this" is one
 * `action=` filter: closing, and reopening a resolved or closed ticket. The change keeps its
 * `ticket.status.update` entry too (the timeline and status-history readers rely on it).
 */
const FINISHED = new Set(['resolved', 'closed']);
function statusMilestoneOf(event: AuditedEvent): string | null {
  if (event.type !== 'ticket.status_changed') return null;
  const [from, to] = (event.changes?.status ?? []) as unknown[];
  if (to === 'closed' && from !== 'closed') return 'ticket.close';
  if (typeof from === 'string' && FINISHED.has(from) && typeof to === 'string' && !FINISHED.has(to))
    return 'ticket.reopen';
  return null;
}

/** Every action an entry can carry, sorted (the `action` filter accepts exactly these). */
export const AUDIT_ACTIONS: readonly string[] = Object.freeze(
  [
    ...new Set([...Object.values(AUDIT_ACTION_BY_EVENT_TYPE), 'ticket.close', 'ticket.reopen']),
  ].sort(),
);

/** What the writer needs of a domain event to name its actions. */
export interface AuditedEvent {
  type: string;
  changes?: Readonly<Record<string, unknown>>;
}

/** The audit actions a domain event is recorded under: none when it is not audited. */
export function auditActionsFor(event: AuditedEvent): string[] {
  if (!Object.hasOwn(AUDIT_ACTION_BY_EVENT_TYPE, event.type)) return [];
  const milestone = statusMilestoneOf(event);
  return [AUDIT_ACTION_BY_EVENT_TYPE[event.type], ...(milestone ? [milestone] : [])];
}
