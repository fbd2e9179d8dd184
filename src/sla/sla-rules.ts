import type { FieldError } from '@helpdesk/common';
import type { BusinessCalendar } from './business-calendar';
import { businessMinutesBetween, calendarMinutesBetween, clockFor } from './business-clock';

/** Ticket priorities, most urgent first (the order `GET /admin/sla-policies` answers in). */
export const SLA_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type SlaPriority = (typeof SLA_PRIORITIES)[number];

export function isSlaPriority(value: unknown): value is SlaPriority {
  return (SLA_PRIORITIES as readonly unknown[]).includes(value);
}

/** What a priority promises: minutes to first response and to resolution, and how they count. */
export interface SlaPolicyTerms {
  firstResponseMinutes: number;
  resolutionMinutes: number;
  /** True: minutes count only inside business hours. False: plain elapsed time. */
  businessHours: boolean;
}

/** API.md section 10. */
export const DEFAULT_SLA_POLICIES: Readonly<Record<SlaPriority, SlaPolicyTerms>> = Object.freeze({
  urgent: { firstResponseMinutes: 60, resolutionMinutes: 240, businessHours: false },
  high: { firstResponseMinutes: 240, resolutionMinutes: 1440, businessHours: false },
  normal: { firstResponseMinutes: 480, resolutionMinutes: 2880, businessHours: false },
  low: { firstResponseMinutes: 1440, resolutionMinutes: 5760, businessHours: false },
});

/** A target is "at risk" once this share of its time has elapsed unmet. */
export const AT_RISK_FRACTION = 0.75;

/** The longest target a policy may set: one year. */
export const MAX_TARGET_MINUTES = 525_600;

/**
 * Everything wrong with a policy beyond its field types (the DTO checks those). A first-response
 * target longer than the resolution target is refused: resolving a ticket answers it too, so
 * such a policy could never be met as written.
 */
export function validatePolicyTerms(terms: SlaPolicyTerms): FieldError[] {
  const errors: FieldError[] = [];
  for (const [field, value] of [
    ['first_response_minutes', terms.firstResponseMinutes],
    ['resolution_minutes', terms.resolutionMinutes],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_TARGET_MINUTES) {
      errors.push({
        field,
        message: `${field} must be a whole number of minutes from 1 to ${MAX_TARGET_MINUTES}`,
      });
    }
  }
  if (errors.length === 0 && terms.firstResponseMinutes > terms.resolutionMinutes) {
    errors.push({
      field: 'first_response_minutes',
      message: 'first_response_minutes must not be greater than resolution_minutes',
    });
  }
  return errors;
}

/**
 * How long a ticket's resolution clock has been paused, counted both ways. A priority change can
 * move a ticket to a policy that counts differently (urgent around the clock, low in business
 * hours), and the pause must then be subtracted in that policy's terms: a weekend in
 * `waiting_customer` is 2 880 calendar minutes but 0 business minutes.
 */
export interface PausedTime {
  calendarMinutes: number;
  businessMinutes: number;
}

export const NO_PAUSE: PausedTime = Object.freeze({ calendarMinutes: 0, businessMinutes: 0 });

/** The paused time of one pause, `[pausedAt, resumedAt)`; nothing when resumed before paused. */
export function pausedTimeBetween(
  pausedAt: Date,
  resumedAt: Date,
  calendar: BusinessCalendar,
): PausedTime {
  if (resumedAt <= pausedAt) return NO_PAUSE;
  return {
    calendarMinutes: calendarMinutesBetween(pausedAt, resumedAt),
    businessMinutes: businessMinutesBetween(pausedAt, resumedAt, calendar),
  };
}

export function addPausedTime(a: PausedTime, b: PausedTime): PausedTime {
  return {
    calendarMinutes: a.calendarMinutes + b.calendarMinutes,
    businessMinutes: a.businessMinutes + b.businessMinutes,
  };
}

/** The paused minutes a policy subtracts: business or calendar, as the policy counts. */
export function pausedMinutesUnder(policy: SlaPolicyTerms, paused: PausedTime): number {
  return policy.businessHours ? paused.businessMinutes : paused.calendarMinutes;
}

/** When each target falls due, and when 75 % of it has elapsed (stored so the sweep can index them). */
export interface SlaDueTimes {
  firstResponseDueAt: Date;
  firstResponseAtRiskAt: Date;
  resolutionDueAt: Date;
  resolutionAtRiskAt: Date;
}

/**
 * Due times from `createdAt` under `policy`. Only the resolution clock pauses, so `paused` moves
 * the resolution instants out by the paused time (in the policy's own terms) and leaves first
 * response alone. Recomputing from `createdAt` with the total paused so far is the same as moving
 * the previous due time out by the latest pause (the clock is additive), which is why one function
 * serves creation, resume and priority changes.
 */
export function dueTimes(
  policy: SlaPolicyTerms,
  calendar: BusinessCalendar,
  createdAt: Date,
  paused: PausedTime = NO_PAUSE,
): SlaDueTimes {
  const clock = clockFor(policy.businessHours, calendar);
  const pausedMinutes = pausedMinutesUnder(policy, paused);
  const { firstResponseMinutes: firstResponse, resolutionMinutes: resolution } = policy;
  return {
    firstResponseDueAt: clock.addMinutes(createdAt, firstResponse),
    firstResponseAtRiskAt: clock.addMinutes(createdAt, firstResponse * AT_RISK_FRACTION),
    resolutionDueAt: clock.addMinutes(createdAt, resolution + pausedMinutes),
    resolutionAtRiskAt: clock.addMinutes(createdAt, resolution * AT_RISK_FRACTION + pausedMinutes),
  };
}

export type SlaState = 'ok' | 'at_risk' | 'breached';

/** One target as a ticket stores it. */
export interface SlaTargetSnapshot {
  dueAt: Date | null;
  atRiskAt: Date | null;
  /** First agent reply / resolution; null while unmet (reopening clears resolution's). */
  metAt: Date | null;
  /** Set once by the sweep; sticky, so a later priority change does not erase a breach. */
  breached: boolean;
}

export interface SlaSnapshot {
  firstResponse: SlaTargetSnapshot;
  resolution: SlaTargetSnapshot;
  /** When the resolution clock was paused (`waiting_customer`), null while it runs. */
  resolutionPausedAt: Date | null;
}

/**
 * A target's state at `now`: breached once its due time has passed unmet (or it was met late, or
 * the sweep marked it), at risk from its 75 % instant until then, ok otherwise. Exactly at the
 * due instant it is not yet breached. A paused clock is judged at the moment it paused.
 */
export function targetState(
  target: SlaTargetSnapshot,
  now: Date,
  pausedAt: Date | null = null,
): SlaState {
  if (target.breached) return 'breached';
  if (!target.dueAt) return 'ok';
  if (target.metAt) return target.metAt > target.dueAt ? 'breached' : 'ok';
  const at = pausedAt && pausedAt < now ? pausedAt : now;
  if (at > target.dueAt) return 'breached';
  if (target.atRiskAt && at >= target.atRiskAt) return 'at_risk';
  return 'ok';
}

const SEVERITY: Record<SlaState, number> = { ok: 0, at_risk: 1, breached: 2 };

/** A ticket's `sla.state`: the worse of its two targets. */
export function slaState(snapshot: SlaSnapshot, now: Date): SlaState {
  const firstResponse = targetState(snapshot.firstResponse, now);
  const resolution = targetState(snapshot.resolution, now, snapshot.resolutionPausedAt);
  return SEVERITY[firstResponse] >= SEVERITY[resolution] ? firstResponse : resolution;
}
