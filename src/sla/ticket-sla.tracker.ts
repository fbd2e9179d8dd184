import { Injectable } from '@nestjs/common';
import { Clock, DomainEvents, SYSTEM_ACTOR, UnitOfWork, type DomainEvent } from '@helpdesk/common';
import type { Ticket } from 'src/tickets/ticket.entity';
import { snapshotOf, withSnapshot } from 'src/tickets/ticket-snapshot';
import type { TicketStatus } from 'src/tickets/ticket-status';
import { isRunning, progress, type SlaProgress, type TrackedSla } from './sla-progress';
import { addPausedTime, type PausedTime, type SlaDueTimes } from './sla-rules';
import {
  SLA_COLUMN_KEYS,
  SlaTrackingRepository,
  type TicketSlaColumns,
} from './sla-tracking.repository';
import { SlaService } from './sla.service';
import { TicketSlaAtRisk, TicketSlaBreached, type SlaTicketRef } from './sla.events';

/** Statuses in which the resolution clock runs; in the others it is stopped (docs/sla.md). */
const CLOCK_RUNS: ReadonlySet<TicketStatus> = new Set(['open', 'in_progress', 'pending']);

function pausedOf(ticket: Ticket): PausedTime {
  return {
    calendarMinutes: ticket.slaPausedCalendarMinutes,
    businessMinutes: ticket.slaPausedBusinessMinutes,
  };
}

/**
 * The targets as the SLA judges them. First response is met by the first agent reply, or by
 * resolving the ticket first (the resolution notes are emailed to the customer, so resolving
 * answers them); once met it stays met, reopening or not. Resolution is met while the ticket is
 * resolved or closed, and runs again when it is reopened.
 */
function trackedOf(ticket: Ticket): TrackedSla {
  return {
    firstResponse: {
      dueAt: ticket.firstResponseDueAt,
      atRiskAt: ticket.firstResponseAtRiskAt,
      metAt: ticket.firstResponseMetAt ?? ticket.firstRespondedAt ?? ticket.resolvedAt,
      breachedAt: ticket.firstResponseBreachedAt,
      atRiskNotifiedAt: ticket.firstResponseAtRiskNotifiedAt,
    },
    resolution: {
      dueAt: ticket.resolutionDueAt,
      atRiskAt: ticket.resolutionAtRiskAt,
      metAt: ticket.resolvedAt,
      breachedAt: ticket.resolutionBreachedAt,
      atRiskNotifiedAt: ticket.resolutionAtRiskNotifiedAt,
    },
    resolutionPausedAt: ticket.slaPausedAt,
  };
}

/** Tickets opened before SLA tracking have no due times, and stay untracked. */
function isTracked(ticket: Ticket): boolean {
  return ticket.firstResponseDueAt !== null || ticket.resolutionDueAt !== null;
}

/** What a lifecycle moment did to a ticket's SLA: the judgement, and what it newly found. */
export interface SlaOutcome {
  progress: SlaProgress;
  /** Judged at this instant (the findings' time). */
  at: Date;
}

/**
 * Keeps a ticket's SLA columns true (docs/sla.md): due times at creation and on priority
 * changes, the resolution clock's pauses, met targets, breach and at-risk marks, the stored
 * state and the sweep's next look. The use cases of src/ticket-workflow/ call it on the ticket
 * they hold: it sets the SLA columns on that object, and the use case's one write of the row
 * stores them (before the INSERT for a new ticket, in the UPDATE of a change). What it finds
 * newly breached or at risk the use case records, last, with `recordFindings`. The sweep's
 * `recheck` writes and records by itself.
 */
@Injectable()
export class TicketSlaTracker {
  constructor(
    private readonly sla: SlaService,
    private readonly repository: SlaTrackingRepository,
    private readonly domainEvents: DomainEvents,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /**
   * A new ticket, before it is inserted: both targets start from `created_at` (which the use
   * case sets) under its priority's policy.
   */
  async started(ticket: Ticket): Promise<SlaOutcome> {
    const due = await this.sla.dueTimesFor(ticket.priority, ticket.createdAt);
    return this.settle(ticket, { ...firstResponseInstants(due), ...resolutionInstants(due) });
  }

  /**
   * New priority: the targets still running are recomputed from `created_at` under the new
   * policy, minus the time paused so far (a pause in progress is added when it ends). A met or
   * breached target keeps the instants it was judged by.
   */
  async priorityChanged(ticket: Ticket): Promise<SlaOutcome | null> {
    if (!isTracked(ticket)) return null;
    const due = await this.sla.dueTimesFor(ticket.priority, ticket.createdAt, pausedOf(ticket));
    const tracked = trackedOf(ticket);
    return this.settle(ticket, {
      ...(isRunning(tracked.firstResponse) ? firstResponseInstants(due) : {}),
      ...(isRunning(tracked.resolution) ? resolutionInstants(due) : {}),
    });
  }

  /**
   * A status move. Leaving a stopped clock (waiting_customer, resolved, closed) for a running
   * status adds that stop to the paused total and moves the resolution instants out by it; so
   * does resolving a `waiting_customer` ticket, so that the resolution is judged against a due
   * time that excludes the wait. Entering a stopped status stops the clock.
   */
  async statusChanged(ticket: Ticket): Promise<SlaOutcome | null> {
    if (!isTracked(ticket)) return null;
    const now = this.clock.now();
    const changes: Partial<TicketSlaColumns> = {};
    let pausedAt = ticket.slaPausedAt;
    if (pausedAt && (CLOCK_RUNS.has(ticket.status) || ticket.status === 'resolved')) {
      const total = addPausedTime(
        pausedOf(ticket),
        await this.sla.pausedTimeBetween(pausedAt, now),
      );
      changes.slaPausedCalendarMinutes = total.calendarMinutes;
      changes.slaPausedBusinessMinutes = total.businessMinutes;
      if (ticket.resolutionBreachedAt === null) {
        Object.assign(
          changes,
          resolutionInstants(await this.sla.dueTimesFor(ticket.priority, ticket.createdAt, total)),
        );
      }
      pausedAt = null;
    }
    if (!CLOCK_RUNS.has(ticket.status)) pausedAt ??= now;
    changes.slaPausedAt = pausedAt;
    return this.settle(ticket, changes, now);
  }

  /** The first agent reply (a note never gets here). */
  firstResponded(ticket: Ticket): SlaOutcome | null {
    return isTracked(ticket) ? this.settle(ticket, {}) : null;
  }

  /**
   * The sweep: a ticket whose next SLA moment has come, locked by the caller's transaction. The
   * SLA columns are written on their own (bookkeeping is not an edit: `version` stays).
   */
  async recheck(ticket: Ticket): Promise<SlaProgress | null> {
    if (!isTracked(ticket)) return null;
    const stored = slaColumnsOf(ticket);
    const outcome = this.settle(ticket, {});
    const columns = slaColumnsOf(ticket);
    if (!sameSlaColumns(stored, columns)) await this.repository.saveSla(ticket.id, columns);
    await this.recordFindings([outcome], ticket);
    return outcome.progress;
  }

  /**
   * Records what the outcomes found newly breached or at risk, as the system's finding whoever's
   * action revealed it: a nested unit of work joins the caller's transaction and names the
   * system as the actor of these events alone. Each carries the ticket as the change left it.
   */
  async recordFindings(outcomes: readonly (SlaOutcome | null)[], ticket: Ticket): Promise<void> {
    const ref: SlaTicketRef = {
      id: ticket.id,
      number: ticket.number,
      subject: ticket.subject,
      priority: ticket.priority,
      assigneeId: ticket.assigneeId,
    };
    const events: DomainEvent[] = outcomes.flatMap((outcome) =>
      outcome
        ? [
            ...outcome.progress.atRisk.map(
              (target) => new TicketSlaAtRisk(ref, target, dueAtOf(ticket, target)),
            ),
            ...outcome.progress.breached.map(
              (target) => new TicketSlaBreached(ref, target, dueAtOf(ticket, target), outcome.at),
            ),
          ]
        : [],
    );
    if (events.length === 0) return;
    const snapshot = snapshotOf(ticket);
    await this.unitOfWork.run(
      async () => {
        for (const event of events) this.domainEvents.record(withSnapshot(event, snapshot));
      },
      { actor: SYSTEM_ACTOR },
    );
  }

  /**
   * Applies `changes`, judges the targets at `now` and sets every SLA column on the ticket
   * object, which the caller then writes (the columns are the ticket's own: the repository's
   * save writes those that changed, with the rest of the change, in one UPDATE).
   */
  private settle(
    ticket: Ticket,
    changes: Partial<TicketSlaColumns>,
    now: Date = this.clock.now(),
  ): SlaOutcome {
    Object.assign(ticket, changes);
    const result = progress(trackedOf(ticket), now);
    const { firstResponse, resolution } = result.sla;
    const columns: TicketSlaColumns = {
      firstResponseDueAt: ticket.firstResponseDueAt,
      firstResponseAtRiskAt: ticket.firstResponseAtRiskAt,
      firstResponseMetAt: firstResponse.metAt,
      firstResponseBreachedAt: firstResponse.breachedAt,
      firstResponseAtRiskNotifiedAt: firstResponse.atRiskNotifiedAt,
      resolutionDueAt: ticket.resolutionDueAt,
      resolutionAtRiskAt: ticket.resolutionAtRiskAt,
      resolutionBreachedAt: resolution.breachedAt,
      resolutionAtRiskNotifiedAt: resolution.atRiskNotifiedAt,
      slaPausedAt: ticket.slaPausedAt,
      slaPausedCalendarMinutes: ticket.slaPausedCalendarMinutes,
      slaPausedBusinessMinutes: ticket.slaPausedBusinessMinutes,
      slaState: result.state,
      slaNextCheckAt: result.nextCheckAt,
    };
    Object.assign(ticket, columns);
    return { progress: result, at: now };
  }
}

function slaColumnsOf(ticket: Ticket): TicketSlaColumns {
  return Object.fromEntries(SLA_COLUMN_KEYS.map((key) => [key, ticket[key]])) as TicketSlaColumns;
}

function sameSlaColumns(a: TicketSlaColumns, b: TicketSlaColumns): boolean {
  return SLA_COLUMN_KEYS.every((key) => {
    const [x, y] = [a[key], b[key]];
    return x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : x === y;
  });
}

function firstResponseInstants(due: SlaDueTimes): Partial<TicketSlaColumns> {
  return {
    firstResponseDueAt: due.firstResponseDueAt,
    firstResponseAtRiskAt: due.firstResponseAtRiskAt,
  };
}

function resolutionInstants(due: SlaDueTimes): Partial<TicketSlaColumns> {
  return { resolutionDueAt: due.resolutionDueAt, resolutionAtRiskAt: due.resolutionAtRiskAt };
}

function dueAtOf(ticket: Ticket, target: 'first_response' | 'resolution'): Date {
  return (target === 'first_response' ? ticket.firstResponseDueAt : ticket.resolutionDueAt)!;
}
