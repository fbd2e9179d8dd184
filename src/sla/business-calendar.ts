import type { FieldError } from '@helpdesk/common';
import { isValidTimeZone, TimeZoneOffsets } from './time-zone-offsets';

export const MINUTE = 60_000;
export const DAY = 86_400_000;
export const WEEK = 7 * DAY;

/** One weekly opening: ISO weekday (1 = Monday … 7 = Sunday) and local `HH:MM` times. */
export interface WeeklyWindow {
  day: number;
  start: string;
  /** Exclusive; `24:00` closes the window at midnight. */
  end: string;
}

/** The business-hours calendar as stored and served (API.md section 10). */
export interface BusinessHoursDefinition {
  /** IANA time zone the windows and holidays are read in. */
  timezone: string;
  weekly: WeeklyWindow[];
  /** Local dates (`YYYY-MM-DD`) with no business time at all. */
  holidays: string[];
}

export const DEFAULT_BUSINESS_HOURS: BusinessHoursDefinition = Object.freeze({
  timezone: 'UTC',
  weekly: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
  holidays: [],
});

const START_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const END_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `HH:MM` → minutes after local midnight. */
export function minutesOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** `YYYY-MM-DD` → days since 1970-01-01, or null when it is not a real calendar date. */
export function localDayNumber(date: string): number | null {
  const match = LOCAL_DATE.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 8999) return null;
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return ms / DAY;
}

/** ISO weekday (1 = Monday) of a day number; 1970-01-01 was a Thursday. */
export function isoWeekday(dayNumber: number): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

/**
 * Everything wrong with a calendar definition, as problem-document field errors (empty when it
 * is fine). Shape (types, HH:MM patterns) is the DTO's job; this checks meaning.
 */
export function validateBusinessHours(definition: BusinessHoursDefinition): FieldError[] {
  const errors: FieldError[] = [];
  if (!isValidTimeZone(definition.timezone)) {
    errors.push({
      field: 'timezone',
      message: 'timezone must be an IANA time zone name such as Europe/Berlin',
    });
  }
  if (definition.weekly.length === 0) {
    errors.push({ field: 'weekly', message: 'weekly must contain at least one window' });
  }
  const byDay = new Map<number, { index: number; start: number; end: number }[]>();
  definition.weekly.forEach((window, index) => {
    const field = `weekly[${index}]`;
    if (!Number.isInteger(window.day) || window.day < 1 || window.day > 7) {
      errors.push({
        field: `${field}.day`,
        message: 'day must be an integer from 1 (Monday) to 7',
      });
      return;
    }
    if (!START_TIME.test(window.start)) {
      errors.push({ field: `${field}.start`, message: 'start must be a time HH:MM (00:00–23:59)' });
      return;
    }
    if (!END_TIME.test(window.end)) {
      errors.push({ field: `${field}.end`, message: 'end must be a time HH:MM (00:01–24:00)' });
      return;
    }
    const start = minutesOfDay(window.start);
    const end = minutesOfDay(window.end);
    if (start >= end) {
      errors.push({ field: `${field}.end`, message: 'end must be later than start' });
      return;
    }
    const sameDay = byDay.get(window.day) ?? [];
    const overlapping = sameDay.find((other) => start < other.end && other.start < end);
    if (overlapping) {
      errors.push({
        field,
        message: `window overlaps weekly[${overlapping.index}] on the same day (adjacent windows are fine)`,
      });
      return;
    }
    sameDay.push({ index, start, end });
    byDay.set(window.day, sameDay);
  });
  definition.holidays.forEach((holiday, index) => {
    if (localDayNumber(holiday) === null) {
      errors.push({
        field: `holidays[${index}]`,
        message: 'holidays must be real dates YYYY-MM-DD (years 1900–8999)',
      });
    }
  });
  return errors;
}

/** Windows sorted by day then start, holidays sorted and de-duplicated: the stored form. */
export function normalizeBusinessHours(
  definition: BusinessHoursDefinition,
): BusinessHoursDefinition {
  return {
    timezone: definition.timezone,
    weekly: [...definition.weekly]
      .map(({ day, start, end }) => ({ day, start, end }))
      .sort((a, b) => a.day - b.day || a.start.localeCompare(b.start)),
    holidays: [...new Set(definition.holidays)].sort(),
  };
}

/** Business time found while walking wall-clock time: where the target was reached, or what is left. */
export type WallAdvance = { at: number } | { remaining: number };

/**
 * A validated calendar compiled for arithmetic. Its methods work in "wall" milliseconds: local
 * wall-clock time written as if it were UTC (so 09:00 local on 2026-03-30 is
 * `Date.UTC(2026, 2, 30, 9)`). In wall time every day is 24 h long and the weekly pattern is
 * regular, which is what lets the clock skip whole days and weeks; the clock itself maps UTC
 * instants to wall time one constant-offset stretch at a time.
 */
export class BusinessCalendar {
  readonly timezone: string;
  readonly offsets: TimeZoneOffsets;
  /** Index 1..7: merged, sorted `[start, end)` ms after local midnight. */
  private readonly windows: [number, number][][];
  private readonly dayTotals: number[];
  readonly weekTotal: number;
  private readonly holidayDays: number[];
  private readonly holidaySet: Set<number>;

  /** Throws a RangeError when the definition is not valid (see validateBusinessHours). */
  static from(definition: BusinessHoursDefinition): BusinessCalendar {
    const errors = validateBusinessHours(definition);
    if (errors.length > 0) {
      throw new RangeError(
        `Invalid business hours: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      );
    }
    return new BusinessCalendar(definition);
  }

  private constructor(definition: BusinessHoursDefinition) {
    this.timezone = definition.timezone;
    this.offsets = TimeZoneOffsets.of(definition.timezone);
    this.windows = Array.from({ length: 8 }, () => []);
    for (const window of definition.weekly) {
      this.windows[window.day].push([
        minutesOfDay(window.start) * MINUTE,
        minutesOfDay(window.end) * MINUTE,
      ]);
    }
    this.windows = this.windows.map(mergeWindows);
    this.dayTotals = this.windows.map((windows) =>
      windows.reduce((sum, [start, end]) => sum + end - start, 0),
    );
    this.weekTotal = this.dayTotals.reduce((sum, total) => sum + total, 0);
    this.holidayDays = [
      ...new Set(definition.holidays.map((h) => localDayNumber(h) as number)),
    ].sort((a, b) => a - b);
    this.holidaySet = new Set(this.holidayDays);
  }

  isHoliday(dayNumber: number): boolean {
    return this.holidaySet.has(dayNumber);
  }

  /** Business ms of a whole local day. */
  dayTotal(dayNumber: number): number {
    return this.isHoliday(dayNumber) ? 0 : this.dayTotals[isoWeekday(dayNumber)];
  }

  /** Business ms in the wall-time range `[from, to)`. */
  businessMsInWall(from: number, to: number): number {
    if (to <= from) return 0;
    const firstDay = Math.floor(from / DAY);
    const lastDay = Math.floor(to / DAY);
    if (firstDay === lastDay) {
      return this.withinDay(firstDay, from - firstDay * DAY, to - firstDay * DAY);
    }
    return (
      this.withinDay(firstDay, from - firstDay * DAY, DAY) +
      this.wholeDays(firstDay + 1, lastDay) +
      this.withinDay(lastDay, 0, to - lastDay * DAY)
    );
  }

  /**
   * Walks wall time from `from` (not past `limit`) until `remaining` business ms have passed.
   * Returns the wall instant where that happens, or the business ms still left at `limit`.
   * `remaining` is > 0; the instant returned is never later than needed (a target reached at a
   * window's end answers that end, not the next window's start).
   */
  advanceInWall(from: number, limit: number, remaining: number): WallAdvance {
    let cursor = from;
    let day = Math.floor(cursor / DAY);
    // The rest of the first (partial) day.
    const first = this.advanceWithinDay(
      day,
      cursor - day * DAY,
      Math.min(DAY, limit - day * DAY),
      remaining,
    );
    if ('at' in first) return first;
    remaining = first.remaining;
    day += 1;
    cursor = day * DAY;
    if (cursor >= limit) return { remaining };
    // Whole weeks, several at a time: k weeks hold at most k × weekTotal business ms, so jumping
    // k < remaining / weekTotal weeks can never step over the instant we are looking for.
    while (this.weekTotal > 0) {
      const fitting = Math.floor((limit - cursor) / WEEK);
      const weeks = Math.min(fitting, Math.floor((remaining - 1) / this.weekTotal));
      if (weeks <= 0) break;
      remaining -= this.wholeDays(day, day + 7 * weeks);
      day += 7 * weeks;
      cursor = day * DAY;
    }
    // Whole days, while the target lies beyond them.
    while (cursor + DAY <= limit) {
      const total = this.dayTotal(day);
      if (total >= remaining) break;
      remaining -= total;
      day += 1;
      cursor = day * DAY;
    }
    if (cursor >= limit) return { remaining };
    return this.advanceWithinDay(day, 0, Math.min(DAY, limit - cursor), remaining);
  }

  /** Business ms of local day `dayNumber` within `[from, to)` ms after its midnight. */
  private withinDay(dayNumber: number, from: number, to: number): number {
    if (to <= from || this.isHoliday(dayNumber)) return 0;
    let total = 0;
    for (const [start, end] of this.windows[isoWeekday(dayNumber)]) {
      const overlap = Math.min(end, to) - Math.max(start, from);
      if (overlap > 0) total += overlap;
    }
    return total;
  }

  private advanceWithinDay(
    dayNumber: number,
    from: number,
    to: number,
    remaining: number,
  ): WallAdvance {
    if (this.isHoliday(dayNumber)) return { remaining };
    for (const [start, end] of this.windows[isoWeekday(dayNumber)]) {
      const open = Math.max(start, from);
      const close = Math.min(end, to);
      if (close <= open) continue;
      if (close - open >= remaining) return { at: dayNumber * DAY + open + remaining };
      remaining -= close - open;
    }
    return { remaining };
  }

  /** Business ms of the whole local days `[firstDay, endDay)`. */
  private wholeDays(firstDay: number, endDay: number): number {
    const count = endDay - firstDay;
    if (count <= 0) return 0;
    const weeks = Math.floor(count / 7);
    let total = weeks * this.weekTotal;
    for (let day = firstDay + weeks * 7; day < endDay; day += 1) {
      total += this.dayTotals[isoWeekday(day)];
    }
    for (let i = lowerBound(this.holidayDays, firstDay); i < this.holidayDays.length; i += 1) {
      const holiday = this.holidayDays[i];
      if (holiday >= endDay) break;
      total -= this.dayTotals[isoWeekday(holiday)];
    }
    return total;
  }
}

/** Sorts windows and joins overlapping or adjacent ones (12:00–13:00 + 13:00–17:00 → 12:00–17:00). */
function mergeWindows(windows: [number, number][]): [number, number][] {
  const sorted = [...windows].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Index of the first element ≥ value in a sorted array. */
function lowerBound(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
