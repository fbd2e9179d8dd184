import fc from 'fast-check';
import { ForbiddenError } from '@helpdesk/common';
import { InvalidStatusTransitionError } from './tickets.errors';
import {
  assertTransition,
  canTransition,
  lifecycleTimestamps,
  TICKET_STATUSES,
  TRANSITIONS,
  type TicketStatus,
} from './ticket-status';

// The table of API.md section 6, written out again on purpose: a change to TRANSITIONS must
// be a deliberate change to this test too.
const CONTRACT: Array<[TicketStatus, TicketStatus[]]> = [
  ['open', ['in_progress', 'pending', 'waiting_customer', 'resolved']],
  ['in_progress', ['open', 'pending', 'waiting_customer', 'resolved']],
  ['pending', ['open', 'in_progress', 'waiting_customer', 'resolved']],
  ['waiting_customer', ['open', 'in_progress', 'resolved']],
  ['resolved', ['open', 'closed']],
  ['closed', ['open']],
];

describe('ticket status workflow', () => {
  describe.each(CONTRACT)('from %s', (from, allowed) => {
    it.each(TICKET_STATUSES.map((to) => [to, allowed.includes(to)] as const))(
      'to %s allowed: %s',
      (to, expected) => {
        expect(canTransition(from, to)).toBe(expected);
      },
    );
  });

  it('never allows a move to the current status', () => {
    for (const status of TICKET_STATUSES) expect(canTransition(status, status)).toBe(false);
  });

  it('answers 409 for illegal moves whatever the role', () => {
    expect(() => assertTransition('closed', 'pending', 'admin')).toThrow(
      InvalidStatusTransitionError,
    );
    expect(() => assertTransition('open', 'closed', 'admin')).toThrow(InvalidStatusTransitionError);
    expect(() => assertTransition('open', 'open', 'support')).toThrow(InvalidStatusTransitionError);
  });

  it('reserves closing and reopening a closed ticket to managers', () => {
    expect(() => assertTransition('resolved', 'closed', 'support')).toThrow(ForbiddenError);
    expect(() => assertTransition('closed', 'open', 'support')).toThrow(ForbiddenError);
    expect(() => assertTransition('resolved', 'closed', 'support_manager')).not.toThrow();
    expect(() => assertTransition('closed', 'open', 'admin')).not.toThrow();
    expect(() => assertTransition('resolved', 'open', 'support')).not.toThrow();
  });

  it('sets and clears the lifecycle timestamps', () => {
    const now = new Date('2026-11-21T10:00:00Z');
    const before = new Date('2026-11-20T10:00:00Z');
    expect(lifecycleTimestamps('resolved', { resolvedAt: null, closedAt: null }, now)).toEqual({
      resolvedAt: now,
      closedAt: null,
    });
    expect(lifecycleTimestamps('closed', { resolvedAt: before, closedAt: null }, now)).toEqual({
      resolvedAt: before,
      closedAt: now,
    });
    expect(lifecycleTimestamps('open', { resolvedAt: before, closedAt: now }, now)).toEqual({
      resolvedAt: null,
      closedAt: null,
    });
  });

  const status = fc.constantFrom(...TICKET_STATUSES);
  const role = fc.constantFrom('support', 'support_manager', 'admin');

  it('property: no sequence of attempted moves reaches an undefined state', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(status, role), { maxLength: 60 }), (moves) => {
        let current: TicketStatus = 'open';
        for (const [to, who] of moves) {
          try {
            assertTransition(current, to, who);
            current = to;
          } catch (error) {
            expect(
              error instanceof InvalidStatusTransitionError || error instanceof ForbiddenError,
            ).toBe(true);
          }
          expect(TICKET_STATUSES).toContain(current);
          expect(TRANSITIONS[current].length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('property: closed is only ever left to open, and only by a manager', () => {
    fc.assert(
      fc.property(status, role, (to, who) => {
        let left: boolean;
        try {
          assertTransition('closed', to, who);
          left = true;
        } catch {
          left = false;
        }
        if (left) {
          expect(to).toBe('open');
          expect(who).not.toBe('support');
        }
      }),
    );
  });

  it('property: every status is reachable from open and open is reachable from every status', () => {
    const reachable = (from: TicketStatus): Set<TicketStatus> => {
      const seen = new Set<TicketStatus>([from]);
      const queue = [from];
      while (queue.length) {
        for (const next of TRANSITIONS[queue.shift()!]) {
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      return seen;
    };
    expect([...reachable('open')].sort()).toEqual([...TICKET_STATUSES].sort());
    for (const s of TICKET_STATUSES) expect(reachable(s).has('open')).toBe(true);
  });
});
