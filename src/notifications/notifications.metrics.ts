import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bull';
import { Gauge } from 'prom-client';
import { MetricsService } from 'src/metrics/metrics.service';
import { NOTIFICATIONS_QUEUE } from './notifications.constants';
import { NotificationsRepository } from './notifications.repository';

/**
 * At each /metrics scrape: the delivery queue's jobs per state (`queue_jobs{queue="notifications"}`)
 * and the outbox rows still waiting or given up on (`notification_outbox{status}`), the number
 * to alert on when it is not zero for `failed`.
 */
@Injectable()
export class NotificationsMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue,
    private readonly repository: NotificationsRepository,
  ) {}

  onModuleInit(): void {
    const outbox = new Gauge({
      name: 'notification_outbox',
      help: 'Notifications still pending delivery, or failed for good, by status',
      labelNames: ['status'] as const,
      registers: [this.metrics.registry],
    });
    this.metrics.watchQueue(NOTIFICATIONS_QUEUE, this.queue);
    this.metrics.onScrape(async () => {
      const counts = await this.repository.countOpen();
      outbox.set({ status: 'pending' }, counts.pending);
      outbox.set({ status: 'failed' }, counts.failed);
    });
  }
}
