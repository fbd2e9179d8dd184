// The measured scenarios. Each one turns an iteration number into the values that vary between
// requests (its "slots": a ticket id, a user, an email) and those into an HTTP request; the raw
// replay substitutes the same slots into the captured SQL.
import type { Client } from 'pg';
import type { SeedPeople } from './seed';
import { RARE_WORD } from './seed-text';
import { signAccessToken } from './tokens';

export type Slots = Record<string, string>;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Scenario {
  name: string;
  kind: 'read' | 'write';
  /** The varying values of iteration `i` (the capture uses two iterations no run reaches). */
  slots(i: number): Slots;
  request(slots: Slots): HttpRequest;
}

/** Ids the scenarios spread their requests over, read from the seeded database. */
export interface Fixtures {
  people: SeedPeople;
  agentTokens: Map<string, string>;
  customerTokens: Map<string, string>;
  /** Not closed, odd numbers: replies move them to waiting_customer and keep them there. */
  replyTickets: string[];
  /** Open or in progress, even numbers, with the status each started in. */
  statusTickets: { id: string; status: 'open' | 'in_progress' }[];
  /** Six messages each. */
  detailTickets: string[];
  /** Two tickets of each writing pool kept for the capture, so it never disturbs a load run. */
  captureReplyTickets: string[];
  captureStatusTickets: { id: string; status: 'open' | 'in_progress' }[];
  runId: string;
}

/** Iterations at and above this are the capture's; load runs never get there. */
export const CAPTURE_ITERATION = 1_000_000_000;

export async function loadFixtures(
  client: Client,
  people: SeedPeople,
  jwtSecret: string,
): Promise<Fixtures> {
  const reply = await client.query<{ id: string }>(
    `SELECT id FROM ticket WHERE status <> 'closed' AND number % 2 = 1 AND deleted_at IS NULL
     ORDER BY number DESC LIMIT 20000`,
  );
  const status = await client.query<{ id: string; status: 'open' | 'in_progress' }>(
    `SELECT id, status FROM ticket WHERE status IN ('open', 'in_progress') AND number % 2 = 0
       AND deleted_at IS NULL ORDER BY number DESC LIMIT 20000`,
  );
  const detail = await client.query<{ id: string }>(
    `SELECT t.id FROM ticket t WHERE t.deleted_at IS NULL AND t.status <> 'closed'
       AND (SELECT count(*) FROM ticket_message m WHERE m.ticket_id = t.id) = 6
     ORDER BY t.number DESC LIMIT 2000`,
  );
  const staff = [...people.agentIds, people.managerId, people.adminId];
  // One live session per user: access tokens name it (`sid`) and the app checks it is not revoked.
  const sessions = await client.query<{ user_id: string; family_id: string }>(
    `INSERT INTO auth_session (id, user_id, family_id, token_hash, expires_at)
     SELECT gen_random_uuid(), u, gen_random_uuid(), md5(random()::text), now() + interval '1 day'
       FROM unnest($1::uuid[]) AS u
     RETURNING user_id, family_id`,
    [[...staff, ...people.customerIds]],
  );
  const sessionOf = new Map(sessions.rows.map((row) => [row.user_id, row.family_id]));
  const sign = (id: string) => signAccessToken(jwtSecret, id, sessionOf.get(id));
  const replyTickets = reply.rows.map((row) => row.id);
  return {
    people,
    agentTokens: new Map(staff.map((id) => [id, sign(id)])),
    customerTokens: new Map(people.customerIds.map((id) => [id, sign(id)])),
    replyTickets: replyTickets.slice(2),
    statusTickets: status.rows.slice(2),
    detailTickets: detail.rows.map((row) => row.id),
    captureReplyTickets: replyTickets.slice(0, 2),
    captureStatusTickets: status.rows.slice(0, 2),
    runId: Date.now().toString(36),
  };
}

/** Iteration i's item of `pool`, or of `reserved` for the capture's iterations. */
function pickFor<T>(pool: T[], reserved: T[], i: number): T {
  return i >= CAPTURE_ITERATION ? cycle(reserved, i - CAPTURE_ITERATION) : cycle(pool, i);
}

function cycle<T>(items: T[], i: number): T {
  if (!items.length) throw new Error('a scenario has no tickets to work on: seed more tickets');
  return items[i % items.length];
}

function json(token: string | null): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

const REPLY_TEXTS = [
  'Thanks for the details. I have reset the integration and it should sync again within the hour.',
  'Sorry for the trouble. We refunded the duplicate charge; it shows on your statement in 3–5 days.',
  'I checked with our engineers: the fix ships tonight. Please try again tomorrow morning.',
  'Could you send us the exact error message and the time it happened? That helps us trace it.',
];

export function buildScenarios(f: Fixtures): Scenario[] {
  const agents = f.people.agentIds;
  const agentSlots = (i: number): Slots => {
    const agentId = cycle(agents, i);
    return { agentId };
  };
  const agentToken = (slots: Slots) => f.agentTokens.get(slots.agentId) ?? '';
  const statusTarget = (i: number): { id: string; status: string } => {
    // Ticket i % n toggles away from its starting status on even rounds and back on odd ones.
    const ticket = pickFor(f.statusTickets, f.captureStatusTickets, i);
    const round = i >= CAPTURE_ITERATION ? 0 : Math.floor(i / f.statusTickets.length);
    const other = ticket.status === 'open' ? 'in_progress' : 'open';
    return { id: ticket.id, status: round % 2 === 0 ? other : ticket.status };
  };
  return [
    {
      name: 'public ticket creation',
      kind: 'write',
      slots: (i) => ({ email: `bench-${f.runId}-${i}@example.org`, name: `Bench Customer ${i}` }),
      request: (s) => ({
        method: 'POST',
        path: '/api/v1/tickets',
        headers: json(null),
        body: JSON.stringify({
          name: s.name,
          email: s.email,
          subject: 'Printer keeps crashing after the update',
          message: 'Hello, the office printer crashes every morning since the update. Please help.',
          category: 'technical',
        }),
      }),
    },
    {
      name: 'agent reply',
      kind: 'write',
      slots: (i) => ({
        ...agentSlots(i),
        ticketId: pickFor(f.replyTickets, f.captureReplyTickets, i),
      }),
      request: (s) => ({
        method: 'POST',
        path: `/api/v1/admin/tickets/${s.ticketId}/replies`,
        headers: json(agentToken(s)),
        body: JSON.stringify({ body: REPLY_TEXTS[s.ticketId.charCodeAt(35) % REPLY_TEXTS.length] }),
      }),
    },
    {
      name: 'status change',
      kind: 'write',
      slots: (i) => {
        const target = statusTarget(i);
        return { ...agentSlots(i), ticketId: target.id, status: target.status };
      },
      request: (s) => ({
        method: 'PATCH',
        path: `/api/v1/admin/tickets/${s.ticketId}/status`,
        headers: json(agentToken(s)),
        body: JSON.stringify({ status: s.status }),
      }),
    },
    {
      name: 'default staff inbox',
      kind: 'read',
      slots: agentSlots,
      request: (s) => ({
        method: 'GET',
        path: '/api/v1/admin/tickets?status=open,in_progress&sort=-created_at&limit=50',
        headers: bearer(agentToken(s)),
      }),
    },
    {
      name: 'filtered inbox',
      kind: 'read',
      slots: agentSlots,
      request: (s) => ({
        method: 'GET',
        path: `/api/v1/admin/tickets?assignee_id=${s.agentId}&priority=high,urgent&sla=at_risk`,
        headers: bearer(agentToken(s)),
      }),
    },
    {
      name: 'full-text search',
      kind: 'read',
      slots: agentSlots,
      request: (s) => ({
        method: 'GET',
        path: `/api/v1/admin/tickets?q=${RARE_WORD}`,
        headers: bearer(agentToken(s)),
      }),
    },
    {
      name: 'ticket detail (6 messages)',
      kind: 'read',
      slots: (i) => ({ ...agentSlots(i), ticketId: cycle(f.detailTickets, i) }),
      request: (s) => ({
        method: 'GET',
        path: `/api/v1/admin/tickets/${s.ticketId}`,
        headers: bearer(agentToken(s)),
      }),
    },
    {
      name: 'customer portal list',
      kind: 'read',
      slots: (i) => ({ customerId: cycle(f.people.customerIds, i) }),
      request: (s) => ({
        method: 'GET',
        path: '/api/v1/portal/tickets',
        headers: bearer(f.customerTokens.get(s.customerId) ?? ''),
      }),
    },
  ];
}
