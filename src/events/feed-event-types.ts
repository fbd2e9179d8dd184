import type { DomainEvent } from '@helpdesk/common';

/** The event types of the feed, the stream and webhooks (API.md section 11a). */
export const FEED_EVENT_TYPES = [
  'ticket.created',
  'ticket.updated',
  'ticket.status_changed',
  'ticket.assigned',
  'ticket.replied',
  'ticket.customer_replied',
  'ticket.note_created',
  'ticket.attachment_added',
  'ticket.escalated',
  'ticket.sla_at_risk',
  'ticket.sla_breached',
  'ticket.rated',
  'ticket.deleted',
] as const;
export type FeedEventType = (typeof FEED_EVENT_TYPES)[number];

/**
 * Which domain events become feed events, and as which type. A domain type missing here is not
 * part of the feed (`ticket.note_deleted`, auth, users, API keys, SLA policies): adding one is a
 * deliberate change to what integrations receive. Some of these are raised by modules that land
 * later (attachments, escalation, SLA, ratings); they flow as soon as those modules record them.
 */
const FEED_TYPE_BY_DOMAIN_TYPE: Readonly<Record<string, FeedEventType>> = Object.freeze({
  'ticket.created': 'ticket.created',
  'ticket.updated': 'ticket.updated',
  // A priority change is an edit of the ticket like any other for integrations.
  'ticket.priority_changed': 'ticket.updated',
  'ticket.status_changed': 'ticket.status_changed',
  'ticket.assigned': 'ticket.assigned',
  'ticket.replied': 'ticket.replied',
  'ticket.customer_replied': 'ticket.customer_replied',
  'ticket.note_created': 'ticket.note_created',
  'ticket.attachment_added': 'ticket.attachment_added',
  'ticket.escalated': 'ticket.escalated',
  'ticket.sla_at_risk': 'ticket.sla_at_risk',
  'ticket.sla_breached': 'ticket.sla_breached',
  'ticket.rated': 'ticket.rated',
  'ticket.deleted': 'ticket.deleted',
});

/** The feed type of a domain event, or null when the event is not part of the feed. */
export function feedTypeOf(
  event: Pick<DomainEvent, 'type' | 'resourceType'>,
): FeedEventType | null {
  if (event.resourceType !== 'ticket') return null;
  return Object.hasOwn(FEED_TYPE_BY_DOMAIN_TYPE, event.type)
    ? FEED_TYPE_BY_DOMAIN_TYPE[event.type]
    : null;
}

export function isFeedEventType(value: string): value is FeedEventType {
  return (FEED_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * Facts copied from an event's details into its feed `data`, besides any `*_id`/`*_ids` key:
 * small, structured values only. Free text (escalation reasons, rating comments, resolution
 * notes) and bodies stay out — integrations read those through the API, with its access rules.
 */
const DETAIL_FACTS = new Set(['cause', 'first_response', 'visibility', 'score', 'target']);

const SCALAR = new Set(['string', 'number', 'boolean']);

function isIdKey(key: string): boolean {
  return /(^|_)ids?$/.test(key);
}

function isIdValue(value: unknown): boolean {
  const isId = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'number';
  return Array.isArray(value) ? value.every(isId) : isId(value);
}

/**
 * The event-specific part of a feed event's `data` (the ticket is added by the writer):
 * `changes` for edits, and the ids and small facts of `details`. Never the access token of
 * `ticket.created`, never message or note bodies: only these keys are ever copied.
 */
export function feedDetailsOf(
  type: FeedEventType,
  event: Pick<DomainEvent, 'changes' | 'details'>,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (type !== 'ticket.created' && Object.keys(event.changes).length > 0) {
    data.changes = event.changes;
  }
  for (const [key, value] of Object.entries(event.details)) {
    if (value === undefined) continue;
    if (isIdKey(key) && isIdValue(value)) data[key] = value;
    else if (DETAIL_FACTS.has(key) && (value === null || SCALAR.has(typeof value))) {
      data[key] = value;
    }
  }
  return data;
}
