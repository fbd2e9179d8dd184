import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { EventsModule } from 'src/events/events.module';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSender } from './webhook-sender';
import { WebhookTargetPolicy } from './webhook-target-policy';
import { WEBHOOKS_QUEUE } from './webhooks.constants';
import { WebhooksController } from './webhooks.controller';
import { WebhooksMetrics } from './webhooks.metrics';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/**
 * Signed webhooks over the event feed (API.md section 11a): admin CRUD, deliveries planned when
 * events are sequenced, delivered in sequence order per webhook by a Bull worker with
 * exponential backoff for 24 h, SSRF-checked targets, a delivery log and redelivery.
 */
@Module({
  imports: [EventsModule, BullModule.registerQueue({ name: WEBHOOKS_QUEUE })],
  controllers: [WebhooksController],
  providers: [
    WebhooksService,
    WebhooksRepository,
    WebhookDeliveriesRepository,
    WebhookSecrets,
    WebhookTargetPolicy,
    WebhookSender,
    WebhookDispatcher,
    WebhookDeliveryWorker,
    WebhooksMetrics,
  ],
})
export class WebhooksModule {}
