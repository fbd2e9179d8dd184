import { Injectable } from '@nestjs/common';
import { SlaService } from 'src/sla/sla.service';
import { TICKET_CHANNELS, TICKET_PRIORITIES } from 'src/tickets/ticket-enums';
import { TICKET_STATUSES } from 'src/tickets/ticket-status';
import {
  resolveTrendWindow,
  resolveWindow,
  type AnalyticsWindow,
  type TrendInterval,
  type TrendMetric,
} from './analytics-window';
import { AnalyticsRepository } from './analytics.repository';

const TOP_ASSIGNEES = 10;

export interface AnalyticsSummary {
  window: AnalyticsWindow;
  totalTickets: number;
  newTickets: number;
  openTickets: number;
  resolvedTickets: number;
  closedTickets: number;
  averageFirstResponseMinutes: number | null;
  medianFirstResponseMinutes: number | null;
  averageResolutionMinutes: number | null;
  slaBreachRate: number | null;
  csatAverage: number | null;
  csatResponses: number;
  byStatus: Record<string, number>;
  byPriority: Record<string, number>;
  byCategory: Record<string, number>;
  byChannel: Record<string, number>;
  topAssignees: {
    assigneeId: string;
    name: string;
    handled: number;
    averageResolutionMinutes: number | null;
  }[];
}

export interface AnalyticsTrend {
  window: AnalyticsWindow;
  interval: TrendInterval;
  metric: TrendMetric;
  timezone: string;
  points: { periodStart: Date; value: number | null }[];
}

/** Manager analytics (API.md section 11); the definitions are in docs/analytics.md. */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly analytics: AnalyticsRepository,
    private readonly sla: SlaService,
  ) {}

  async summary(from?: Date, to?: Date): Promise<AnalyticsSummary> {
    const window = resolveWindow(from, to);
    const [created, activity, top] = await Promise.all([
      this.analytics.createdInWindow(window),
      this.analytics.activityInWindow(window),
      this.analytics.topAssignees(window, TOP_ASSIGNEES),
    ]);
    return {
      window,
      totalTickets: created.total_tickets,
      newTickets: created.new_tickets,
      openTickets: created.open_tickets,
      resolvedTickets: activity.resolved_tickets,
      closedTickets: activity.closed_tickets,
      averageFirstResponseMinutes: numberOrNull(activity.average_first_response_minutes),
      medianFirstResponseMinutes: numberOrNull(activity.median_first_response_minutes),
      averageResolutionMinutes: numberOrNull(activity.average_resolution_minutes),
      slaBreachRate:
        created.total_tickets === 0
          ? null
          : Math.round((created.breached_tickets / created.total_tickets) * 10_000) / 10_000,
      csatAverage: numberOrNull(activity.csat_average),
      csatResponses: activity.csat_responses,
      // Every known status, priority and channel is present (0 when none), so charts need no
      // special cases; categories are free text, so only those that occur (null → "none").
      byStatus: withZeros(TICKET_STATUSES, created.by_status),
      byPriority: withZeros(TICKET_PRIORITIES, created.by_priority),
      byCategory: created.by_category,
      byChannel: withZeros(TICKET_CHANNELS, created.by_channel),
      topAssignees: top.map((row) => ({
        assigneeId: row.assignee_id,
        name: row.name,
        handled: row.handled,
        averageResolutionMinutes: numberOrNull(row.average_resolution_minutes),
      })),
    };
  }

  async trend(
    interval: TrendInterval,
    metric: TrendMetric,
    from?: Date,
    to?: Date,
  ): Promise<AnalyticsTrend> {
    const window = resolveTrendWindow(from, to, interval);
    const timezone = await this.reportingTimezone();
    const rows = await this.analytics.trend(window, interval, metric, timezone);
    return {
      window,
      interval,
      metric,
      timezone,
      points: rows.map((row) => ({
        periodStart: row.period_start,
        value: numberOrNull(row.value),
      })),
    };
  }

  /**
   * Periods follow the business-hours timezone (API.md section 10), so a "day" is the team's
   * day; UTC should the stored zone not be one this runtime knows.
   */
  private async reportingTimezone(): Promise<string> {
    const { timezone } = await this.sla.getBusinessHours();
    return isKnownTimezone(timezone) ? timezone : 'UTC';
  }
}

// PostgreSQL returns numeric as a string (it may not fit a double); these figures always do.
function numberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function withZeros(
  keys: readonly string[],
  counts: Record<string, number>,
): Record<string, number> {
  return { ...Object.fromEntries(keys.map((key) => [key, 0])), ...counts };
}

function isKnownTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
