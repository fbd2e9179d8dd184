import { type BusinessCalendar, MINUTE } from './business-calendar';
import { EARLIEST_SUPPORTED, LATEST_SUPPORTED } from './time-zone-offsets';

/*
 * The SLA clock. Business time is the set of instants whose local wall-clock time, in the
 * calendar's time zone, falls inside one of that weekday's windows on a date that is not a
 * holiday. That one definition settles every DST question:
 *   - spring forward (Berlin 02:00 → 03:00): a 01:00–04:00 window holds 2 real hours that day,
 *     and a window inside the skipped hour holds none;
 *   - fall back (03:00 → 02:00): a 01:00–04:00 window holds 4 real hours, the repeated hour
 *     counting twice because it happens twice.
 * The code walks UTC in stretches of constant offset; inside one, wall time is UTC shifted by a
 * constant, so the calendar's wall-time arithmetic (which skips whole weeks and days) applies.
 * Minutes may be fractional; the clock works in whole milliseconds.
 */

const HORIZON_MS = 100 * 366 * 86_400_000;

function instant(date: Date, name: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms) || ms < EARLIEST_SUPPORTED || ms >= LATEST_SUPPORTED) {
    throw new RangeError(`${name} is not a supported instant: ${String(date)}`);
  }
  return ms;
}

function durationMs(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`minutes must be a finite number ≥ 0, got ${minutes}`);
  }
  return Math.round(minutes * MINUTE);
}

/** Business ms in the UTC range `[from, to)`, from ≤ to. */
function businessMs(from: number, to: number, calendar: BusinessCalendar): number {
  let total = 0;
  let cursor = from;
  while (cursor < to) {
    const segment = calendar.offsets.segmentAt(cursor);
    const end = Math.min(segment.end, to);
    total += calendar.businessMsInWall(cursor + segment.offset, end + segment.offset);
    cursor = end;
  }
  return total;
}

/**
 * The instant `minutes` business minutes after `start`: the earliest instant by which that much
 * business time has passed. A target reached at a window's end answers that end (Friday 17:00,
 * not Monday 09:00); zero minutes answers `start` itself.
 */
export function addBusinessMinutes(start: Date, minutes: number, calendar: BusinessCalendar): Date {
  let remaining = durationMs(minutes);
  let cursor = instant(start, 'start');
  if (remaining === 0) return new Date(cursor);
  if (calendar.weekTotal === 0) throw new RangeError('The calendar has no business time');
  // A sparse calendar and a huge target could otherwise walk for millennia.
  const horizon = Math.min(LATEST_SUPPORTED, cursor + HORIZON_MS);
  while (cursor < horizon) {
    const segment = calendar.offsets.segmentAt(cursor);
    const step = calendar.advanceInWall(
      cursor + segment.offset,
      segment.end + segment.offset,
      remaining,
    );
    if ('at' in step) return new Date(step.at - segment.offset);
    remaining = step.remaining;
    cursor = segment.end;
  }
  throw new RangeError(`${minutes} business minutes after ${start.toISOString()} is out of range`);
}

/**
 * Business minutes between two instants, signed: negative when `to` is before `from`, so
 * between(a, b) + between(b, c) = between(a, c) in any order.
 */
export function businessMinutesBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  const a = instant(from, 'from');
  const b = instant(to, 'to');
  if (a <= b) return businessMs(a, b, calendar) / MINUTE;
  const reversed = businessMs(b, a, calendar);
  return reversed === 0 ? 0 : -reversed / MINUTE;
}

/** `start` plus `minutes` of plain elapsed time, for policies that ignore business hours. */
export function addCalendarMinutes(start: Date, minutes: number): Date {
  return new Date(instant(start, 'start') + durationMs(minutes));
}

/** Elapsed minutes between two instants, signed like businessMinutesBetween. */
export function calendarMinutesBetween(from: Date, to: Date): number {
  return (instant(to, 'to') - instant(from, 'from')) / MINUTE;
}

/** One way of counting SLA time: a policy's `business_hours` flag picks which. */
export interface SlaClock {
  readonly businessHours: boolean;
  addMinutes(start: Date, minutes: number): Date;
  minutesBetween(from: Date, to: Date): number;
}

export const CALENDAR_TIME: SlaClock = Object.freeze({
  businessHours: false,
  addMinutes: addCalendarMinutes,
  minutesBetween: calendarMinutesBetween,
});

export function businessTime(calendar: BusinessCalendar): SlaClock {
  return {
    businessHours: true,
    addMinutes: (start, minutes) => addBusinessMinutes(start, minutes, calendar),
    minutesBetween: (from, to) => businessMinutesBetween(from, to, calendar),
  };
}

export function clockFor(businessHours: boolean, calendar: BusinessCalendar): SlaClock {
  return businessHours ? businessTime(calendar) : CALENDAR_TIME;
}
