import { summarizeTimeline, type TimelineEntry } from './timeline-summary';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 9, minute));
const entry = (
  action: string,
  minute: number,
  extra: Partial<TimelineEntry> = {},
): TimelineEntry => ({
  occurredAt: at(minute),
  action,
  actorType: 'user',
  actorId: 'agent-1',
  changes: {},
  details: {},
  ...extra,
});

describe('summarizeTimeline', () => {
  const names = new Map([
    ['customer-1', 'Ada Lovelace'],
    ['agent-1', 'Grace Hopper'],
    ['agent-2', 'Alan Turing'],
  ]);

  it('tells a ticket’s life in one paragraph, counting replies', () => {
    const summary = summarizeTimeline(
      [
        entry('ticket.create', 30, {
          actorId: 'customer-1',
          changes: { channel: [null, 'web'], status: [null, 'open'] },
        }),
        entry('ticket.assignee.update', 31, { changes: { assignee_id: [null, 'agent-1'] } }),
        entry('ticket.reply', 35),
        entry('ticket.status.update', 35, { changes: { status: ['open', 'waiting_customer'] } }),
        entry('ticket.customer_reply', 40, { actorId: 'customer-1' }),
        entry('ticket.reply', 45),
        entry('ticket.note.create', 46),
        entry('ticket.status.update', 50, { changes: { status: ['open', 'resolved'] } }),
      ],
      names,
    );
    expect(summary).toBe(
      'Opened by Ada Lovelace via web on 2026-11-21 09:30 UTC; assigned to Grace Hopper; moved to waiting customer; ' +
        'resolved on 2026-11-21 09:50 UTC; replied 2 times; the customer wrote 1 time; 1 internal note.',
    );
  });

  it('names reassignment, reopening, priority changes and system actions', () => {
    const summary = summarizeTimeline(
      [
        entry('ticket.create', 0, {
          actorType: 'api_key',
          actorId: null,
          changes: { channel: [null, 'api'], assignee_id: [null, 'agent-2'] },
        }),
        entry('ticket.priority.update', 1, { changes: { priority: ['normal', 'urgent'] } }),
        entry('ticket.assignee.update', 2, { changes: { assignee_id: ['agent-2', null] } }),
        entry('ticket.status.update', 3, { changes: { status: ['resolved', 'open'] } }),
        entry('ticket.sla.breach', 4, {
          actorType: 'system',
          actorId: null,
          details: { target: 'first_response' },
        }),
      ],
      names,
    );
    expect(summary).toBe(
      'Opened by integration key via api on 2026-11-21 09:00 UTC; assigned to Alan Turing; priority changed from normal to urgent; ' +
        'unassigned; reopened on 2026-11-21 09:03 UTC; breached its first response target.',
    );
  });

  it('says so when there is nothing', () => {
    expect(summarizeTimeline([], names)).toBe('No recorded history.');
  });
});
