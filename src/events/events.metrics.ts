import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from 'src/metrics/metrics.service';
import { EventsRepository } from './events.repository';

/**
 * At each /metrics scrape: committed feed events still waiting for their sequence
 * (`event_feed_unsequenced`). It stays near zero; a value that grows means the sequencer is
 * failing, and the feed, the stream and webhooks have stopped moving.
 */
@Injectable()
export class EventsMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly events: EventsRepository,
  ) {}

  onModuleInit(): void {
    const unsequenced = new Gauge({
      name: 'event_feed_unsequenced',
      help: 'Committed feed events not yet given a sequence',
      registers: [this.metrics.registry],
    });
    this.metrics.onScrape(async () => unsequenced.set(await this.events.countUnsequenced()));
  }
}
