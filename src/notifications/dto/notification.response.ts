import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_EVENTS, type NotificationEvent } from '../notification-events';
import { NOTIFICATION_STATUSES, type NotificationStatus } from '../notification.entity';
import type { Notification } from '../notification.entity';

/** One outbox row as admins see it (API.md section 9); bodies stay out of listings. */
export class NotificationResponse {
  @ApiProperty({ format: 'uuid', example: '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11' })
  id: string;

  @ApiProperty({ enum: NOTIFICATION_EVENTS, example: 'agent_reply' })
  event: NotificationEvent;

  @ApiProperty({ example: 'ada@example.com' })
  recipient: string;

  @ApiProperty({ example: '[#42] Printer on fire' })
  subject: string;

  @ApiProperty({ enum: NOTIFICATION_STATUSES, example: 'failed' })
  status: NotificationStatus;

  @ApiProperty({ example: 5, description: 'Delivery attempts since planned or last retried' })
  attempts: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: "Can't send mail - all recipients were rejected: 451 4.7.1 Try again later",
  })
  last_error: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '019a4f6e-0000-7d1a-9a3e-2b7f1c9d0e11',
  })
  ticket_id: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-11-21T09:31:00.000Z',
    description: 'When the queue tries again after a failed attempt',
  })
  next_attempt_at: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T09:30:00.000Z' })
  created_at: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  sent_at: string | null;
}

export function toNotificationResponse(notification: Notification): NotificationResponse {
  return {
    id: notification.id,
    event: notification.event,
    recipient: notification.recipient,
    subject: notification.subject,
    status: notification.status,
    attempts: notification.attempts,
    last_error: notification.lastError,
    ticket_id: notification.ticketId,
    next_attempt_at: notification.nextAttemptAt?.toISOString() ?? null,
    created_at: notification.createdAt.toISOString(),
    sent_at: notification.sentAt?.toISOString() ?? null,
  };
}

export class NotificationPageResponse {
  @ApiProperty({ type: [NotificationResponse] })
  items: NotificationResponse[];
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 50 }) limit: number;
  @ApiProperty({ example: 1 }) total_pages: number;
}
