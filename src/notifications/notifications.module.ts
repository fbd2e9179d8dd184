import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { AdminNotificationsController } from './admin-notifications.controller';
import { MailService } from './mail.service';
import { NotificationDeliveryWorker } from './notification-delivery.worker';
import { NotificationLinks } from './notification-links';
import { NotificationPlanner } from './notification-planner';
import { NotificationRelay } from './notification-relay';
import { NotificationTemplates } from './notification-templates';
import { NOTIFICATIONS_QUEUE } from './notifications.constants';
import { NotificationsMetrics } from './notifications.metrics';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/**
 * Email notifications through a transactional outbox: `NotificationsService.plan()` records
 * rendered emails in the caller's transaction, the relay moves them onto a Bull queue after
 * commit, and the delivery worker sends them (SMTP or `.eml` files) with retries.
 */
@Module({
  imports: [BullModule.registerQueue({ name: NOTIFICATIONS_QUEUE })],
  controllers: [AdminNotificationsController],
  providers: [
    MailService,
    NotificationTemplates,
    NotificationLinks,
    NotificationsRepository,
    NotificationsService,
    NotificationRelay,
    NotificationDeliveryWorker,
    NotificationPlanner,
    NotificationsMetrics,
  ],
  exports: [NotificationsService, NotificationLinks],
})
export class NotificationsModule {}
