import { Foundation1763712000000 } from './1763712000000-Foundation';
import { Tickets1763712100000 } from './1763712100000-Tickets';
import { Conversation1763712150000 } from './1763712150000-Conversation';
import { AuditLog1763712200000 } from './1763712200000-AuditLog';
import { Notifications1763712300000 } from './1763712300000-Notifications';
import { Sla1763712400000 } from './1763712400000-Sla';
import { EventFeed1763712500000 } from './1763712500000-EventFeed';
import { ManagerTools1763712600000 } from './1763712600000-ManagerTools';
import { Attachments1763712800000 } from './1763712800000-Attachments';
import { SlaState1763712700000 } from './1763712700000-SlaState';
import { AnalyticsCreatedIndex1763712900000 } from './1763712900000-AnalyticsCreatedIndex';
import { TicketCreatedBy1764110000000 } from './1764110000000-TicketCreatedBy';
import { IdempotencySealed1764205000000 } from './1764205000000-IdempotencySealed';
import { AuditChainAnchor1764205100000 } from './1764205100000-AuditChainAnchor';
import { NormalizedEmail1764200000000 } from './1764200000000-NormalizedEmail';
import { TicketTokenLifetime1764200100000 } from './1764200100000-TicketTokenLifetime';
import { SearchVectorInStatement1764300000000 } from './1764300000000-SearchVectorInStatement';
import { EventSequencerCursor1764400000000 } from './1764400000000-EventSequencerCursor';
import { WebhookDeliveredThrough1764400100000 } from './1764400100000-WebhookDeliveredThrough';

/** Every migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS = [
  Foundation1763712000000,
  Tickets1763712100000,
  Conversation1763712150000,
  AuditLog1763712200000,
  Notifications1763712300000,
  Sla1763712400000,
  EventFeed1763712500000,
  ManagerTools1763712600000,
  SlaState1763712700000,
  Attachments1763712800000,
  AnalyticsCreatedIndex1763712900000,
  TicketCreatedBy1764110000000,
  IdempotencySealed1764205000000,
  AuditChainAnchor1764205100000,
  NormalizedEmail1764200000000,
  TicketTokenLifetime1764200100000,
  SearchVectorInStatement1764300000000,
  EventSequencerCursor1764400000000,
  WebhookDeliveredThrough1764400100000,
];
