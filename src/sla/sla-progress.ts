import { slaState, targetState, type SlaState, type SlaTargetSnapshot } from './sla-rules';

export const SLA_TARGETS = ['first_response', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

/** One target as a ticket tracks it: its instants, whether it was met, and the sweep's marks. */
export interface TrackedTarget {
  dueAt: Date | null;
  atRiskAt: Date | null;
  /** When the target was met (first agent reply or resolution); null while it runs. */
  metAt: Date | null;
  /** Set once, when the target is first found missed; sticky. */
  breachedAt: Date | null;
  /** Set once, when the target is first found at risk (its at-risk event was recorded); sticky. */
  atRiskNotifiedAt: Date | null;
}

export interface TrackedSla {
  firstResponse: TrackedTarget;
  resolution: TrackedTarget;
  /** When the resolution clock stopped (waiting_customer, resolved); null while it runs. */
  resolutionPausedAt: Date | null;
}

export interface SlaProgress {
  /** The targets with the marks made at `now`. */
  sla: TrackedSla;
  state: SlaState;
  /**
   * The next instant at which something can change without anyone touching the ticket (a target
   * reaching its at-risk instant or passing its due time); null when nothing can (every target
   * met, breached or paused). The sweep looks at the ticket again then.
   */
  nextCheckAt: Date | null;
  /** Targets found missed at `now` (each exactly once over a ticket's life). */
  breached: SlaTarget[];
  /** Targets found at risk at `now` (each at most once over a ticket's life). */
  atRisk: SlaTarget[];
}

const KEY: Record<SlaTarget, 'firstResponse' | 'resolution'> = {
  first_response: 'firstResponse',
  resolution: 'resolution',
};

function snapshotOf(target: TrackedTarget): SlaTargetSnapshot {
  return {
    dueAt: target.dueAt,
    atRiskAt: target.atRiskAt,
    metAt: target.metAt,
    breached: target.breachedAt !== null,
  };
}

/**
 * Where a ticket's SLA stands at `now`, and what has newly happened: one function for every
 * moment the SLA is looked at (creation, a reply, a status or priority change, the sweep), so
 * they cannot disagree. Breaches and at-risk findings are marked with `now`; a target found
 * breached is not also reported at risk.
 */
export function progress(sla: TrackedSla, now: Date): SlaProgress {
  const next: TrackedSla = {
    firstResponse: { ...sla.firstResponse },
    resolution: { ...sla.resolution },
    resolutionPausedAt: sla.resolutionPausedAt,
  };
  const breached: SlaTarget[] = [];
  const atRisk: SlaTarget[] = [];
  let nextCheckAt: Date | null = null;
  for (const target of SLA_TARGETS) {
    const tracked = next[KEY[target]];
    const pausedAt = target === 'resolution' ? sla.resolutionPausedAt : null;
    const state = targetState(snapshotOf(tracked), now, pausedAt);
    if (state === 'breached' && tracked.breachedAt === null) {
      tracked.breachedAt = now;
      breached.push(target);
    } else if (state === 'at_risk' && tracked.atRiskNotifiedAt === null) {
      tracked.atRiskNotifiedAt = now;
      atRisk.push(target);
    }
    const check = nextCheckOf(tracked, pausedAt, now);
    if (check && (!nextCheckAt || check < nextCheckAt)) nextCheckAt = check;
  }
  const state = slaState(
    {
      firstResponse: snapshotOf(next.firstResponse),
      resolution: snapshotOf(next.resolution),
      resolutionPausedAt: next.resolutionPausedAt,
    },
    now,
  );
  return { sla: next, state, nextCheckAt, breached, atRisk };
}

/**
 * When a running target can next change state: its at-risk instant if that is still ahead, else
 * just after its due time (a target is breached only once its due instant has passed).
 */
function nextCheckOf(target: TrackedTarget, pausedAt: Date | null, now: Date): Date | null {
  if (target.breachedAt || target.metAt || !target.dueAt || pausedAt) return null;
  if (target.atRiskAt && now < target.atRiskAt) return target.atRiskAt;
  return new Date(target.dueAt.getTime() + 1);
}

/** A target still to be met or missed: its instants may still be recomputed. */
export function isRunning(target: TrackedTarget): boolean {
  return target.metAt === null && target.breachedAt === null;
}
