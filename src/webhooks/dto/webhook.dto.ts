import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { HasNoNul, PageQueryDto, trimString } from '@helpdesk/common';
import { FEED_EVENT_TYPES } from 'src/events/feed-event-types';
import {
  DELIVERY_STATUSES,
  type DeliveryStatus,
  type WebhookDelivery,
} from '../webhook-delivery.entity';
import type { Webhook } from '../webhook.entity';

const EVENT_CHOICES = ['*', ...FEED_EVENT_TYPES];
const EVENTS_MESSAGE = `each event must be "*" or one of: ${FEED_EVENT_TYPES.join(', ')}`;

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://example.com/hooks/helpdesk',
    description: 'http(s); must resolve to public addresses (unless WEBHOOKS_ALLOW_PRIVATE=true)',
    maxLength: 2000,
  })
  @Transform(trimString)
  @IsString()
  @Length(1, 2000)
  @HasNoNul()
  url: string;

  @ApiProperty({
    type: [String],
    example: ['ticket.created', 'ticket.status_changed'],
    description: '`["*"]` for every type, or a list of types — not both',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_CHOICES.length)
  @IsIn(EVENT_CHOICES, { each: true, message: EVENTS_MESSAGE })
  events: string[];

  @ApiPropertyOptional({ example: 'CRM sync', maxLength: 500, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(500)
  @HasNoNul()
  description?: string | null;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ example: 'https://example.com/hooks/helpdesk-v2', maxLength: 2000 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 2000)
  @HasNoNul()
  url?: string;

  @ApiPropertyOptional({ type: [String], example: ['*'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_CHOICES.length)
  @IsIn(EVENT_CHOICES, { each: true, message: EVENTS_MESSAGE })
  events?: string[];

  @ApiPropertyOptional({ example: false, description: 'Inactive webhooks receive nothing' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ example: 'CRM sync', maxLength: 500, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(500)
  @HasNoNul()
  description?: string | null;
}

export class DeliveryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, example: 'failed' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://example.com/hooks/helpdesk' }) url: string;
  @ApiProperty({ type: [String], example: ['ticket.created', 'ticket.status_changed'] })
  events: string[];
  @ApiProperty({ type: String, nullable: true, example: 'CRM sync' }) description: string | null;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw5pZl8C7XtkY=',
    description:
      'Signing secret: HMAC-SHA256 key = base64-decoded part after `whsec_`. Shown once; store it now.',
  })
  secret: string;
}

export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse] }) items: WebhookResponse[];
}

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'Also the `webhook-id` header' }) event_id: string;
  @ApiProperty({ example: 1201, description: "The event's sequence (deliveries go in this order)" })
  sequence: number;
  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'delivered' }) status: DeliveryStatus;
  @ApiProperty({ example: 1, description: 'Attempts since the delivery was (re)queued' })
  attempts: number;
  @ApiProperty({ type: Number, nullable: true, example: 200 }) response_status: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'HTTP 503: upstream unavailable' })
  last_error: string | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) next_attempt_at:
    string | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) last_attempt_at:
    string | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) delivered_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class DeliveryPageResponse {
  @ApiProperty({ type: [DeliveryResponse] }) items: DeliveryResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
  @ApiProperty() total_pages: number;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toWebhookResponse(webhook: Webhook): WebhookResponse {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    description: webhook.description,
    active: webhook.active,
    created_at: webhook.createdAt.toISOString(),
    updated_at: webhook.updatedAt.toISOString(),
  };
}

export function toDeliveryResponse(delivery: WebhookDelivery): DeliveryResponse {
  return {
    id: delivery.id,
    event_id: delivery.eventId,
    sequence: delivery.sequence,
    status: delivery.status,
    attempts: delivery.attempts,
    response_status: delivery.responseStatus,
    last_error: delivery.lastError,
    next_attempt_at: delivery.status === 'pending' ? iso(delivery.nextAttemptAt) : null,
    last_attempt_at: iso(delivery.lastAttemptAt),
    delivered_at: iso(delivery.deliveredAt),
    created_at: delivery.createdAt.toISOString(),
  };
}
