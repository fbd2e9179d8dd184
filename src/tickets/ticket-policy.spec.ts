import { ForbiddenError, NotFoundError, type Actor } from '@helpdesk/common';
import { refusalOf, type PolicyFacts, type TicketAction } from './ticket-policy';
import type { TicketStatus } from './ticket-status';
import { TicketClosedError } from './tickets.errors';

const agent: Actor = { type: 'user', id: 'agent-1', role: 'support' };
const colleague = 'agent-2';
const manager: Actor = { type: 'user', id: 'manager-1', role: 'support_manager' };
const admin: Actor = { type: 'user', id: 'admin-1', role: 'admin' };
const managerKey: Actor = { type: 'api_key', id: 'key-1', role: 'support_manager' };
const customer: Actor = { type: 'user', id: 'customer-1', role: 'customer' };
const stranger: Actor = { type: 'user', id: 'customer-2', role: 'customer' };
const token: Actor = { type: 'ticket_token', id: 't1', role: null, ticketId: 't1' };
const otherToken: Actor = { type: 'ticket_token', id: 't2', role: null, ticketId: 't2' };
const system: Actor = { type: 'system', id: null, role: 'system' };

function ticket(status: TicketStatus = 'open', assigneeId: string | null = null) {
  return { id: 't1', requesterId: 'customer-1', deletedAt: null, status, assigneeId };
}

type Outcome = 'allowed' | typeof NotFoundError | typeof ForbiddenError | typeof TicketClosedError;

/** [action, who, ticket, facts, outcome]: one row per rule and edge. */
const ROWS: [TicketAction, Actor | null, ReturnType<typeof ticket>, PolicyFacts, Outcome][] = [
  // customer scope: 404 for anyone who may not see the ticket
  ['view', customer, ticket(), {}, 'allowed'],
  ['view', stranger, ticket(), {}, NotFoundError],
  ['view', token, ticket(), {}, 'allowed'],
  ['view', otherToken, ticket(), {}, NotFoundError],
  ['view', null, ticket(), {}, NotFoundError],
  ['view', agent, { ...ticket(), deletedAt: new Date() as never }, {}, NotFoundError],
  ['view', system, ticket(), {}, 'allowed'],
  ['customer_message', stranger, ticket(), {}, NotFoundError],
  // closed tickets
  ['reply', agent, ticket('resolved'), {}, 'allowed'],
  ['reply', agent, ticket('closed'), {}, TicketClosedError],
  ['customer_message', customer, ticket('waiting_customer'), {}, 'allowed'],
  ['customer_message', token, ticket('closed'), {}, TicketClosedError],
  ['customer_attachment', customer, ticket('closed'), {}, TicketClosedError],
  ['customer_attachment', customer, ticket('resolved'), {}, 'allowed'],
  ['assign', manager, ticket('closed'), {}, TicketClosedError],
  ['assign', agent, ticket('pending'), {}, 'allowed'],
  ['escalate', manager, ticket('closed'), {}, TicketClosedError],
  ['escalate', manager, ticket('resolved'), {}, 'allowed'],
  // self-assignment
  ['assign_to', agent, ticket(), { assigneeId: agent.id }, 'allowed'],
  ['assign_to', agent, ticket(), { assigneeId: colleague }, ForbiddenError],
  ['assign_to', agent, ticket('open', colleague), { assigneeId: null }, ForbiddenError],
  ['assign_to', agent, ticket('open', agent.id), { assigneeId: null }, 'allowed'],
  ['assign_to', agent, ticket('open', null), { assigneeId: null }, 'allowed'],
  ['assign_to', manager, ticket('open', colleague), { assigneeId: agent.id }, 'allowed'],
  ['assign_to', managerKey, ticket(), { assigneeId: colleague }, 'allowed'],
  // manager-only moves
  ['change_priority', agent, ticket(), {}, ForbiddenError],
  ['change_priority', manager, ticket(), {}, 'allowed'],
  ['change_status', agent, ticket('resolved'), { to: 'closed' }, ForbiddenError],
  ['change_status', agent, ticket('closed'), { to: 'open' }, ForbiddenError],
  ['change_status', agent, ticket('resolved'), { to: 'open' }, 'allowed'],
  ['change_status', agent, ticket('open'), { to: 'resolved' }, 'allowed'],
  ['change_status', manager, ticket('resolved'), { to: 'closed' }, 'allowed'],
  ['change_status', admin, ticket('closed'), { to: 'open' }, 'allowed'],
  ['change_status', system, ticket('resolved'), { to: 'closed' }, 'allowed'],
  ['delete', manager, ticket(), {}, ForbiddenError],
  ['delete', admin, ticket(), {}, 'allowed'],
];

describe('the ticket policy table', () => {
  it.each(ROWS.map((row, i) => [i, ...row] as const))(
    'row %i: %s by %j',
    (_i, action, actor, subject, facts, outcome) => {
      const refusal = refusalOf(action, actor, subject, facts);
      if (outcome === 'allowed') expect(refusal).toBeNull();
      else expect(refusal).toBeInstanceOf(outcome);
    },
  );

  it('answers 404 before any other refusal, so a stranger learns nothing about a closed ticket', () => {
    expect(refusalOf('reply', stranger, ticket('closed'))).toBeInstanceOf(NotFoundError);
  });
});
