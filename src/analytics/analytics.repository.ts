import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { AnalyticsWindow, TrendInterval, TrendMetric } from './analytics-window';

/** Figures over tickets created in the window (API.md section 11). */
export interface CreatedInWindowRow {
  total_tickets: number;
  new_tickets: number;
  open_tickets: number;
  breached_tickets: number;
  by_status: Record<string, number>;
  by_priority: Record<string, number>;
  by_category: Record<string, number>;
  by_channel: Record<string, number>;
}

/** Figures over what happened in the window: resolutions, closures, first responses, ratings. */
export interface ActivityInWindowRow {
  resolved_tickets: number;
  closed_tickets: number;
  average_first_response_minutes: string | null;
  median_first_response_minutes: number | null;
  average_resolution_minutes: string | null;
  csat_average: string | null;
  csat_responses: number;
}

export interface TopAssigneeRow {
  assignee_id: string;
  name: string;
  handled: number;
  average_resolution_minutes: string | null;
}

export interface TrendPointRow {
  period_start: Date;
  value: number | string | null;
}

// Calendar minutes between two instants.
const minutesBetween = (start: string, end: string) => `extract(epoch FROM ${end} - ${start}) / 60`;

/**
 * Per trend metric: the instant that puts a ticket in a period, and the aggregate of a period.
 * Fixed SQL fragments chosen by a validated enum — never caller text.
 */
const TREND_METRIC_SQL: Readonly<Record<TrendMetric, { instant: string; value: string }>> = {
  created: { instant: 't.created_at', value: 'count(*)::int' },
  resolved: { instant: 't.resolved_at', value: 'count(*)::int' },
  first_response_minutes: {
    instant: 't.first_responded_at',
    value: `round(avg(${minutesBetween('t.created_at', 't.first_responded_at')})::numeric, 1)`,
  },
  resolution_minutes: {
    instant: 't.resolved_at',
    value: `round(avg(${minutesBetween('t.created_at', 't.resolved_at')})::numeric, 1)`,
  },
};

const COUNT_METRICS: ReadonlySet<TrendMetric> = new Set(['created', 'resolved']);

/**
 * Analytics over the live (not deleted) tickets, in a few aggregate statements each bounded by a
 * range on one indexed instant (created_at, resolved_at, closed_at, first_responded_at, rated_at),
 * so they stay fast however many tickets lie outside the window (docs/analytics.md).
 */
@Injectable()
export class AnalyticsRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    return this.txHost.tx.query<T[]>(sql, parameters);
  }

  /**
   * One pass over the window's tickets (an index-only scan of ticket_created_at_analytics_idx):
   * GROUPING SETS gives the totals and each breakdown from the same rows, where a CTE read four
   * more times cost as much again as the scan.
   */
  async createdInWindow({ from, to }: AnalyticsWindow): Promise<CreatedInWindowRow> {
    const rows = await this.query<{
      status: string | null;
      priority: string | null;
      category: string | null;
      channel: string | null;
      grouping: number;
      n: number;
      new_tickets: number;
      open_tickets: number;
      breached_tickets: number;
    }>(
      `SELECT t.status, t.priority, coalesce(t.category, 'none') AS category, t.channel,
              GROUPING(t.status, t.priority, coalesce(t.category, 'none'), t.channel) AS grouping,
              count(*)::int AS n,
              count(*) FILTER (WHERE t.first_responded_at IS NULL)::int AS new_tickets,
              count(*) FILTER (WHERE t.status NOT IN ('resolved', 'closed'))::int AS open_tickets,
              count(*) FILTER (
                WHERE t.first_response_breached_at IS NOT NULL OR t.resolution_breached_at IS NOT NULL
              )::int AS breached_tickets
         FROM ticket t
        WHERE t.deleted_at IS NULL AND t.created_at >= $1 AND t.created_at < $2
        GROUP BY GROUPING SETS ((), (t.status), (t.priority), (coalesce(t.category, 'none')), (t.channel))`,
      [from, to],
    );
    // GROUPING's bits, left to right: status, priority, category, channel (1 = not grouped by).
    const breakdown = (grouping: number, key: 'status' | 'priority' | 'category' | 'channel') =>
      Object.fromEntries(
        rows.filter((row) => row.grouping === grouping).map((row) => [row[key] as string, row.n]),
      );
    const total = rows.find((row) => row.grouping === 0b1111);
    return {
      total_tickets: total?.n ?? 0,
      new_tickets: total?.new_tickets ?? 0,
      open_tickets: total?.open_tickets ?? 0,
      breached_tickets: total?.breached_tickets ?? 0,
      by_status: breakdown(0b0111, 'status'),
      by_priority: breakdown(0b1011, 'priority'),
      by_category: breakdown(0b1101, 'category'),
      by_channel: breakdown(0b1110, 'channel'),
    };
  }

  async activityInWindow({ from, to }: AnalyticsWindow): Promise<ActivityInWindowRow> {
    const [row] = await this.query<ActivityInWindowRow>(
      `SELECT
         (SELECT count(*)::int FROM ticket t
            WHERE t.deleted_at IS NULL AND t.resolved_at >= $1 AND t.resolved_at < $2
         ) AS resolved_tickets,
         (SELECT count(*)::int FROM ticket t
            WHERE t.deleted_at IS NULL AND t.closed_at >= $1 AND t.closed_at < $2
         ) AS closed_tickets,
         round(first_response.average::numeric, 1) AS average_first_response_minutes,
         round(first_response.median::numeric, 1)::float8 AS median_first_response_minutes,
         round(resolution.average::numeric, 1) AS average_resolution_minutes,
         round(csat.average, 2) AS csat_average,
         csat.responses AS csat_responses
       FROM
         (SELECT avg(minutes) AS average,
                 percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) AS median
            FROM (SELECT ${minutesBetween('t.created_at', 't.first_responded_at')} AS minutes
                    FROM ticket t
                   WHERE t.deleted_at IS NULL
                     AND t.first_responded_at >= $1 AND t.first_responded_at < $2) m
         ) first_response,
         (SELECT avg(${minutesBetween('t.created_at', 't.resolved_at')}) AS average
            FROM ticket t
           WHERE t.deleted_at IS NULL AND t.resolved_at >= $1 AND t.resolved_at < $2
         ) resolution,
         (SELECT avg(r.score) AS average, count(*)::int AS responses
            FROM ticket_rating r JOIN ticket t ON t.id = r.ticket_id AND t.deleted_at IS NULL
           WHERE r.rated_at >= $1 AND r.rated_at < $2
         ) csat`,
      [from, to],
    );
    return row;
  }

  /** Who resolved the most tickets in the window (the ticket's assignee), best first. */
  topAssignees({ from, to }: AnalyticsWindow, limit: number): Promise<TopAssigneeRow[]> {
    return this.query<TopAssigneeRow>(
      `SELECT t.assignee_id, u.name, count(*)::int AS handled,
              round(avg(${minutesBetween('t.created_at', 't.resolved_at')})::numeric, 1)
                AS average_resolution_minutes
         FROM ticket t JOIN app_user u ON u.id = t.assignee_id
        WHERE t.deleted_at IS NULL AND t.resolved_at >= $1 AND t.resolved_at < $2
        GROUP BY t.assignee_id, u.name
        ORDER BY handled DESC, average_resolution_minutes ASC NULLS LAST, u.name, t.assignee_id
        LIMIT $3`,
      [from, to, limit],
    );
  }

  /**
   * One value per period of `interval` in `timezone` (periods start at local midnight, Monday,
   * the 1st), every period of the window present: empty ones are 0 for counts, null for averages.
   */
  trend(
    { from, to }: AnalyticsWindow,
    interval: TrendInterval,
    metric: TrendMetric,
    timezone: string,
  ): Promise<TrendPointRow[]> {
    const { instant, value } = TREND_METRIC_SQL[metric];
    const empty = COUNT_METRICS.has(metric) ? '0' : 'NULL';
    // Periods are generated on local (timezone-less) timestamps, so a day is a calendar day even
    // across DST changes, then turned back into instants.
    return this.query<TrendPointRow>(
      `WITH periods AS (
         SELECT generate_series(
                  date_trunc($3, $1::timestamptz AT TIME ZONE $4),
                  date_trunc($3, ($2::timestamptz - interval '1 microsecond') AT TIME ZONE $4),
                  ('1 ' || $3)::interval
                ) AS local_start
       ),
       buckets AS (
         SELECT date_trunc($3, ${instant} AT TIME ZONE $4) AS local_start, ${value} AS value
           FROM ticket t
          WHERE t.deleted_at IS NULL AND ${instant} >= $1 AND ${instant} < $2
          GROUP BY 1
       )
       SELECT p.local_start AT TIME ZONE $4 AS period_start, coalesce(b.value, ${empty}) AS value
         FROM periods p LEFT JOIN buckets b USING (local_start)
        ORDER BY p.local_start`,
      [from, to, interval, timezone],
    );
  }
}
