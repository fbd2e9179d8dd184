import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { StaffTicketResponse } from 'src/tickets/dto';
import { FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT } from '../events.constants';
import { FEED_EVENT_TYPES, type FeedEventType } from '../feed-event-types';
import type { FeedActorType, SequencedFeedEvent } from '../feed-event.entity';

const commaList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

const TYPES_MESSAGE = `types must be a comma list of: ${FEED_EVENT_TYPES.join(', ')}`;

/** `types` of the feed and the stream. */
export class EventTypesQueryDto {
  @ApiPropertyOptional({
    description: 'Comma list of event types; absent = every type',
    example: 'ticket.created,ticket.status_changed',
  })
  @IsOptional()
  @Transform(commaList)
  @ArrayMaxSize(FEED_EVENT_TYPES.length)
  @IsIn(FEED_EVENT_TYPES, { each: true, message: TYPES_MESSAGE })
  types?: FeedEventType[];
}

/** `GET /api/v1/admin/events` (API.md section 11a). */
export class EventQueryDto extends EventTypesQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    default: 0,
    example: 1200,
    description: 'Return events with a sequence above this one (the previous `next_after`)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after: number = 0;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: FEED_MAX_LIMIT,
    default: FEED_DEFAULT_LIMIT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(FEED_MAX_LIMIT)
  limit: number = FEED_DEFAULT_LIMIT;
}

export class EventActorResponse {
  @ApiProperty({ enum: ['user', 'api_key', 'system'], example: 'user' }) type: FeedActorType;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Null for the system and for anonymous or ticket-token customers',
  })
  id: string | null;
}

export class EventDataResponse {
  @ApiProperty({
    type: StaffTicketResponse,
    description: 'The ticket as the change left it (soft-deleted tickets included)',
  })
  ticket: StaffTicketResponse;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { status: ['open', 'resolved'] },
    description: 'Fields the change touched: `{field: [old, new]}`',
  })
  changes?: Record<string, [unknown, unknown]>;

  @ApiPropertyOptional({ format: 'uuid', description: 'ticket.replied, ticket.customer_replied' })
  message_id?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'ticket.note_created' })
  note_id?: string;

  @ApiPropertyOptional({
    example: 'agent_reply',
    description: 'ticket.status_changed: what moved the status',
  })
  cause?: string;

  [key: string]: unknown;
}

/** One event of the feed, the stream and webhook bodies alike. */
export class EventResponse {
  @ApiProperty({
    format: 'uuid',
    example: '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11',
    description: 'Also the `webhook-id` of its deliveries',
  })
  id: string;
  @ApiProperty({ enum: FEED_EVENT_TYPES, example: 'ticket.status_changed' }) type: FeedEventType;
  @ApiProperty({ format: 'date-time', example: '2026-11-21T09:30:00.000Z' }) occurred_at: string;
  @ApiProperty({ example: 1201, description: 'Strictly increasing; SSE frames use it as `id:`' })
  sequence: number;
  @ApiProperty({ type: EventActorResponse }) actor: EventActorResponse;
  @ApiProperty({ type: EventDataResponse }) data: EventDataResponse;
}

export class EventPageResponse {
  @ApiProperty({ type: [EventResponse] }) items: EventResponse[];
  @ApiProperty({
    example: 1300,
    description: 'The highest sequence scanned: pass it back as `after`',
  })
  next_after: number;
}

export function toEventResponse(event: SequencedFeedEvent): EventResponse {
  return {
    id: event.id,
    type: event.type,
    occurred_at: event.occurredAt.toISOString(),
    sequence: event.sequence,
    actor: { type: event.actorType, id: event.actorId },
    data: event.data as EventDataResponse,
  };
}
