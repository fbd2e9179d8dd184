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
import { SearchVectorInStatement1764300000000 } from './1764300000000-SearchVectorInStatement';

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
  SearchVectorInStatement1764300000000,
];
