import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bull';
import { Gauge } from 'prom-client';
import { MetricsService } from 'src/metrics/metrics.service';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WEBHOOKS_QUEUE } from './webhooks.constants';

/**
 * At each /metrics scrape: the delivery queue's jobs per state (`queue_jobs{queue="webhooks"}`)
 * and the deliveries still pending (`webhook_deliveries_pending`) — growing means a target is
 * failing (its later events wait behind it) or workers are not running.
 */
@Injectable()
export class WebhooksMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue,
    private readonly deliveries: WebhookDeliveriesRepository,
  ) {}

  onModuleInit(): void {
    const pending = new Gauge({
      name: 'webhook_deliveries_pending',
      help: 'Webhook deliveries not yet delivered or failed',
      registers: [this.metrics.registry],
    });
    this.metrics.watchQueue(WEBHOOKS_QUEUE, this.queue);
    this.metrics.onScrape(async () => pending.set(await this.deliveries.countPending()));
  }
}
