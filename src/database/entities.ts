import { Attachment } from 'src/attachments/attachment.entity';
import { TicketAssignment } from 'src/assignments/ticket-assignment.entity';
import { AuditLogEntry } from 'src/audit/audit-log-entry.entity';
import { ApiKey } from 'src/auth/api-key.entity';
import { AuthSession } from 'src/auth/auth-session.entity';
import { MagicLinkToken } from 'src/auth/magic-link-token.entity';
import { FeedEvent } from 'src/events/feed-event.entity';
import { TicketMessage } from 'src/messages/ticket-message.entity';
import { TicketNote } from 'src/notes/ticket-note.entity';
import { Notification } from 'src/notifications/notification.entity';
import { TicketRating } from 'src/ratings/ticket-rating.entity';
import { BusinessHours } from 'src/sla/business-hours.entity';
import { SlaPolicy } from 'src/sla/sla-policy.entity';
import { Ticket } from 'src/tickets/ticket.entity';
import { User } from 'src/users/user.entity';
import { WebhookDelivery } from 'src/webhooks/webhook-delivery.entity';
import { Webhook } from 'src/webhooks/webhook.entity';

/** Every entity, listed explicitly so the CLI and the app see the same model. */
export const ENTITIES = [
  User,
  AuthSession,
  MagicLinkToken,
  ApiKey,
  Ticket,
  TicketMessage,
  TicketNote,
  TicketAssignment,
  Attachment,
  AuditLogEntry,
  Notification,
  SlaPolicy,
  BusinessHours,
  FeedEvent,
  Webhook,
  WebhookDelivery,
  TicketRating,
];
