import { Injectable } from '@nestjs/common';
import { withTimeout } from '@helpdesk/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const QUEUE_SCRAPE_TIMEOUT_MS = 2_000;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused'] as const;

/** What watchQueue reads of a Bull queue (kept structural: metrics knows no queue library). */
export interface WatchedQueue {
  client: { status: string };
  getJobCounts(): Promise<object>;
}

/** One Prometheus registry per app instance (tests boot several apps in one process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  readonly slaBreaches = new Counter({
    name: 'sla_breaches_total',
    help: 'SLA targets marked breached (by the sweep, or when met late), by target',
    labelNames: ['target'] as const,
    registers: [this.registry],
  });

  private readonly collectors: Array<() => Promise<void>> = [];

  /** Reports a Bull queue's jobs per state as `queue_jobs{queue, state}` at each scrape. */
  watchQueue(name: string, queue: WatchedQueue): void {
    this.onScrape(async () => {
      if (queue.client.status !== 'ready') return; // Redis is away: keep the last reading
      const counts = (await withTimeout(
        queue.getJobCounts(),
        QUEUE_SCRAPE_TIMEOUT_MS,
        'reading queue depth',
      )) as unknown as Record<string, number>;
      for (const state of QUEUE_STATES)
        this.queueDepth.set({ queue: name, state }, counts[state] ?? 0);
    });
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Modules add gauges that are read at scrape time (e.g. queue depths). */
  onScrape(collector: () => Promise<void>): void {
    this.collectors.push(collector);
  }

  async render(): Promise<string> {
    await Promise.allSettled(this.collectors.map((collect) => collect()));
    return this.registry.metrics();
  }
}
