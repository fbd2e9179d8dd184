import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bull';
import { Gauge } from 'prom-client';
import { MetricsService } from 'src/metrics/metrics.service';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { withTimeout } from './webhook-dispatcher';
import { WEBHOOKS_QUEUE } from './webhooks.constants';

const SCRAPE_TIMEOUT_MS = 2_000;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused'] as const;

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
    this.metrics.onScrape(async () => {
      if (this.queue.client.status !== 'ready') return; // Redis is away: keep the last reading
      const counts = await withTimeout(
        this.queue.getJobCounts(),
        SCRAPE_TIMEOUT_MS,
        'reading queue depth',
      );
      for (const state of QUEUE_STATES) {
        this.metrics.queueDepth.set(
          { queue: WEBHOOKS_QUEUE, state },
          (counts as unknown as Record<string, number>)[state] ?? 0,
        );
      }
    });
    this.metrics.onScrape(async () => pending.set(await this.deliveries.countPending()));
  }
}
