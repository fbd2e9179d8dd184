import { ValidationFailedError } from '@helpdesk/common';

export const TREND_INTERVALS = ['day', 'week', 'month'] as const;
export type TrendInterval = (typeof TREND_INTERVALS)[number];

export const TREND_METRICS = [
  'created',
  'resolved',
  'first_response_minutes',
  'resolution_minutes',
] as const;
export type TrendMetric = (typeof TREND_METRICS)[number];

const DAY_MS = 86_400_000;
export const DEFAULT_WINDOW_DAYS = 30;

/** The longest window per trend interval: enough history, a bounded number of points. */
export const MAX_TREND_WINDOW_DAYS: Readonly<Record<TrendInterval, number>> = {
  day: 3 * 366, // ≤ 1098 points
  week: 10 * 366, // ≤ 524 points
  month: 30 * 366, // ≤ 361 points
};

export interface AnalyticsWindow {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/**
 * The window `[from, to)` of API.md section 11: `to` defaults to now, `from` to 30 days before
 * `to`; `from` must come before `to` (422 otherwise).
 */
export function resolveWindow(
  from: Date | undefined,
  to: Date | undefined,
  now: Date = new Date(),
): AnalyticsWindow {
  const end = to ?? now;
  const start = from ?? new Date(end.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS);
  if (start.getTime() >= end.getTime()) {
    throw ValidationFailedError.forField('from', 'from must be before to');
  }
  return { from: start, to: end };
}

/** A trend's window, bounded per interval so one call never asks for thousands of points. */
export function resolveTrendWindow(
  from: Date | undefined,
  to: Date | undefined,
  interval: TrendInterval,
  now: Date = new Date(),
): AnalyticsWindow {
  const window = resolveWindow(from, to, now);
  const maxDays = MAX_TREND_WINDOW_DAYS[interval];
  if (window.to.getTime() - window.from.getTime() > maxDays * DAY_MS) {
    throw ValidationFailedError.forField(
      'from',
      `a ${interval} trend spans at most ${maxDays} days; narrow from/to or use a longer interval`,
    );
  }
  return window;
}
