import type { TestApp } from './test-app';
import { uniqueEmail } from './factories';

export interface PublicTicket {
  id: string;
  number: number;
  accessToken: string;
  email: string;
  body: Record<string, unknown>;
}

/** Opens a ticket through the public intake, as an anonymous visitor would. */
export async function openPublicTicket(
  t: TestApp,
  overrides: Record<string, unknown> = {},
): Promise<PublicTicket> {
  const email = (overrides.email as string | undefined) ?? uniqueEmail('requester');
  const res = await t.http.post('/api/v1/tickets').send({
    name: 'Requester',
    email,
    subject: 'Help needed',
    message: 'Something is broken.',
    ...overrides,
  });
  if (res.status !== 201)
    throw new Error(`intake answered ${res.status}: ${JSON.stringify(res.body)}`);
  return {
    id: res.body.ticket.id,
    number: res.body.ticket.number,
    accessToken: res.body.access_token,
    email,
    body: res.body,
  };
}

/** Fields a customer-facing ticket may carry; anything else is a leak (API.md section 5). */
export const CUSTOMER_TICKET_FIELDS = [
  'id',
  'number',
  'subject',
  'status',
  'priority',
  'category',
  'channel',
  'requester',
  'resolution_notes',
  'agent_name',
  'created_at',
  'updated_at',
  'resolved_at',
  'closed_at',
  'messages',
  'attachments',
  'rating',
];

/** Keys that must never appear anywhere in a customer-facing response body. */
export const INTERNAL_KEYS = [
  'internal_notes',
  'notes',
  'version',
  'tags',
  'custom_fields',
  'escalated',
  'escalation_reason',
  'sla',
  'first_response_due_at',
  'resolution_due_at',
  'assignee',
  'assignee_id',
  'access_token_hash',
  'search_vector',
  'audit',
  'deleted_at',
];

/** Every key, at any depth, of a JSON value. */
export function allKeys(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => allKeys(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      allKeys(v, into);
    }
  }
  return into;
}
