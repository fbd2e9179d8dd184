import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import {
  TREND_INTERVALS,
  TREND_METRICS,
  type TrendInterval,
  type TrendMetric,
} from '../analytics-window';
import type { AnalyticsSummary, AnalyticsTrend } from '../analytics.service';

/** `?from=&to=`: the window `[from, to)`, by default the 30 days before now. */
export class AnalyticsWindowQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-10-01T00:00:00Z',
    description: 'Inclusive; default 30 days before `to`',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-11-01T00:00:00Z',
    description: 'Exclusive; default now',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;
}

export class AnalyticsTrendQueryDto extends AnalyticsWindowQueryDto {
  @ApiPropertyOptional({
    enum: TREND_INTERVALS,
    default: 'day',
    description: 'day ≤ 3 years, week ≤ 10 years, month ≤ 30 years of window',
  })
  @IsOptional()
  @IsIn(TREND_INTERVALS)
  interval: TrendInterval = 'day';

  @ApiPropertyOptional({ enum: TREND_METRICS, default: 'created' })
  @IsOptional()
  @IsIn(TREND_METRICS)
  metric: TrendMetric = 'created';
}

export class TopAssigneeResponse {
  @ApiProperty({ format: 'uuid' }) assignee_id: string;
  @ApiProperty({ example: 'Grace Hopper' }) name: string;
  @ApiProperty({ example: 42, description: 'Tickets this assignee resolved in the window' })
  handled: number;
  @ApiProperty({ type: Number, nullable: true, example: 312.5 })
  average_resolution_minutes: number | null;
}

const COUNTS = {
  type: 'object',
  additionalProperties: { type: 'integer' },
} as const;

/** `GET /admin/analytics/summary` (API.md section 11; definitions in docs/analytics.md). */
export class AnalyticsSummaryResponse {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ example: 120, description: 'Tickets created in the window' })
  total_tickets: number;
  @ApiProperty({ example: 8, description: 'Of those, still without a first response' })
  new_tickets: number;
  @ApiProperty({ example: 30, description: 'Of those, not resolved or closed now' })
  open_tickets: number;
  @ApiProperty({ example: 95, description: 'Tickets whose resolved_at is in the window' })
  resolved_tickets: number;
  @ApiProperty({ example: 60, description: 'Tickets whose closed_at is in the window' })
  closed_tickets: number;
  @ApiProperty({ type: Number, nullable: true, example: 47.3 })
  average_first_response_minutes: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 31.5 })
  median_first_response_minutes: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 1260.2 })
  average_resolution_minutes: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.0833,
    description: '0–1; null when no ticket was created in the window',
  })
  sla_breach_rate: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 4.36 }) csat_average: number | null;
  @ApiProperty({ example: 25 }) csat_responses: number;
  @ApiProperty({ ...COUNTS, example: { open: 12, resolved: 100 } })
  by_status: Record<string, number>;
  @ApiProperty({ ...COUNTS, example: { normal: 80, high: 40 } })
  by_priority: Record<string, number>;
  @ApiProperty({ ...COUNTS, example: { billing: 70, none: 50 } })
  by_category: Record<string, number>;
  @ApiProperty({ ...COUNTS, example: { web: 90, email: 30 } })
  by_channel: Record<string, number>;
  @ApiProperty({ type: [TopAssigneeResponse] }) top_assignees: TopAssigneeResponse[];
}

export class TrendPointResponse {
  @ApiProperty({ format: 'date-time', example: '2026-11-02T00:00:00.000Z' }) period_start: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 17,
    description: 'Counts are 0 in an empty period; averages are null',
  })
  value: number | null;
}

export class AnalyticsTrendResponse {
  @ApiProperty({ enum: TREND_INTERVALS }) interval: TrendInterval;
  @ApiProperty({ enum: TREND_METRICS }) metric: TrendMetric;
  @ApiProperty({ example: 'UTC', description: 'Timezone of the periods' }) timezone: string;
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ type: [TrendPointResponse] }) points: TrendPointResponse[];
}

export function toSummaryResponse(s: AnalyticsSummary): AnalyticsSummaryResponse {
  return {
    from: s.window.from.toISOString(),
    to: s.window.to.toISOString(),
    total_tickets: s.totalTickets,
    new_tickets: s.newTickets,
    open_tickets: s.openTickets,
    resolved_tickets: s.resolvedTickets,
    closed_tickets: s.closedTickets,
    average_first_response_minutes: s.averageFirstResponseMinutes,
    median_first_response_minutes: s.medianFirstResponseMinutes,
    average_resolution_minutes: s.averageResolutionMinutes,
    sla_breach_rate: s.slaBreachRate,
    csat_average: s.csatAverage,
    csat_responses: s.csatResponses,
    by_status: s.byStatus,
    by_priority: s.byPriority,
    by_category: s.byCategory,
    by_channel: s.byChannel,
    top_assignees: s.topAssignees.map((a) => ({
      assignee_id: a.assigneeId,
      name: a.name,
      handled: a.handled,
      average_resolution_minutes: a.averageResolutionMinutes,
    })),
  };
}

export function toTrendResponse(trend: AnalyticsTrend): AnalyticsTrendResponse {
  return {
    interval: trend.interval,
    metric: trend.metric,
    timezone: trend.timezone,
    from: trend.window.from.toISOString(),
    to: trend.window.to.toISOString(),
    points: trend.points.map((p) => ({
      period_start: p.periodStart.toISOString(),
      value: p.value,
    })),
  };
}
