import { InjectQueue } from '@nestjs/bull';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Queue } from 'bull';
import {
  DomainEvents,
  uuidv7,
  type DomainEvent,
  type DomainEventConsumer,
  withTimeout,
  ThrottledWarning,
} from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { EventSequencer } from 'src/events/event-sequencer';
import type { SequencedEventRef } from 'src/events/events.repository';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDelivery } from './webhook-delivery.entity';
import { subscribesTo } from './webhook.entity';
import {
  DELIVERY_SWEEP_INTERVAL_MS,
  DRAIN_WEBHOOK_JOB,
  ENQUEUE_TIMEOUT_MS,
  WEBHOOKS_QUEUE,
  type DrainWebhookJob,
} from './webhooks.constants';
import { WebhookEvent } from './webhooks.events';
import { WebhooksRepository } from './webhooks.repository';

/**
 * Plans and schedules webhook deliveries.
 *
 * - Planning: registered with the event sequencer, it writes one `webhook_delivery` row per
 *   active subscribed webhook for every event in the sequencer's transaction — so a delivery
 *   exists exactly when its event has its number, and a webhook's rows are created in sequence
 *   order.
 * - Scheduling: after that commit (and after a webhook is re-activated or a delivery requeued)
 *   it enqueues a "drain" job for each webhook concerned; the worker delivers in order.
 * - Sweeping (worker processes): re-enqueues what no job is on — a job lost with Redis, a
 *   worker that died holding a lease, a retry whose delayed job vanished.
 */
@Injectable()
export class WebhookDispatcher
  implements DomainEventConsumer, OnModuleInit, OnApplicationBootstrap, OnModuleDestroy
{
  readonly name = 'webhook-dispatcher';
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly warnings = new ThrottledWarning(this.logger);
  private sweepTimer?: NodeJS.Timeout;
  private sweeping = false;
  private closed = false;

  constructor(
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue<DrainWebhookJob>,
    private readonly sequencer: EventSequencer,
    private readonly domainEvents: DomainEvents,
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Bull re-emits Redis connection errors on the queue; unheard, an 'error' event would throw.
    this.queue.on('error', (error: Error) => this.warnings.warn('webhook queue error', error));
    this.domainEvents.register(this);
    this.sequencer.register({
      name: 'webhooks',
      onSequenced: async (events) => {
        const webhookIds = await this.planDeliveries(events);
        return () => webhookIds.forEach((id) => void this.drainSoon(id));
      },
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) return;
    this.sweepTimer = setInterval(() => void this.sweep(), DELIVERY_SWEEP_INTERVAL_MS);
    void this.sweep();
  }

  onModuleDestroy(): void {
    this.closed = true;
    clearInterval(this.sweepTimer);
  }

  /** Nothing to write for webhook changes; they only wake deliveries after commit. */
  async consume(): Promise<void> {}

  afterCommit(events: readonly DomainEvent[]): void {
    for (const event of events) {
      if (event instanceof WebhookEvent && event.wakesDelivery)
        void this.drainSoon(event.resourceId);
    }
  }

  /** In the sequencer's transaction: the deliveries of newly numbered events. */
  async planDeliveries(events: readonly SequencedEventRef[]): Promise<string[]> {
    const webhooks = await this.webhooks.listActive();
    if (webhooks.length === 0) return [];
    const rows: WebhookDelivery[] = [];
    const now = new Date();
    for (const event of events) {
      for (const webhook of webhooks) {
        if (!subscribesTo(webhook, event.type)) continue;
        rows.push(
          Object.assign(new WebhookDelivery(), {
            id: uuidv7(),
            webhookId: webhook.id,
            eventId: event.id,
            sequence: event.sequence,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: now,
          }),
        );
      }
    }
    await this.deliveries.insertMany(rows);
    return [...new Set(rows.map((row) => row.webhookId))];
  }

  /**
   * A job that delivers what is due for this webhook. Never deduplicated: a job that is already
   * running may have looked for work before this call's rows existed (the worker copes with
   * extra jobs: they find the lease taken or nothing due).
   */
  async drainSoon(webhookId: string): Promise<void> {
    await this.add({ webhookId }, {});
  }

  /** A job for when `deliveryId`'s retry is due; one per delivery and time, however often asked. */
  async drainAt(webhookId: string, deliveryId: string, at: Date): Promise<void> {
    await this.add(
      { webhookId },
      {
        jobId: `retry:${deliveryId}:${at.getTime()}`,
        delay: Math.max(0, at.getTime() - Date.now()),
      },
    );
  }

  private async add(
    data: DrainWebhookJob,
    opts: { jobId?: string; delay?: number },
  ): Promise<void> {
    if (this.closed) return;
    try {
      await withTimeout(
        this.queue.add(DRAIN_WEBHOOK_JOB, data, {
          ...opts,
          attempts: 1,
          // The delivery rows are the record; finished jobs are clutter, and removing them lets
          // the same retry id be scheduled again by the sweep when needed.
          removeOnComplete: true,
          removeOnFail: true,
        }),
        ENQUEUE_TIMEOUT_MS,
        'enqueueing a webhook delivery',
      );
    } catch (error) {
      this.warnings.warn('could not enqueue a webhook delivery; the sweep will retry', error);
    }
  }

  /** Re-enqueues every webhook with a due head and no live lease; schedules the others' retries. */
  async sweep(): Promise<void> {
    if (this.sweeping || this.closed) return;
    this.sweeping = true;
    try {
      const now = Date.now();
      for (const head of await this.deliveries.unattendedHeads()) {
        if (head.nextAttemptAt.getTime() <= now) await this.drainSoon(head.webhookId);
        else await this.drainAt(head.webhookId, head.id, head.nextAttemptAt);
      }
    } catch (error) {
      this.warnings.warn('webhook delivery sweep failed', error);
    } finally {
      this.sweeping = false;
    }
  }
}
