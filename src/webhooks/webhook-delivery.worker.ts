import { InjectQueue } from '@nestjs/bull';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { uuidv7 } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { EventsService } from 'src/events/events.service';
import { afterFailure, retryUntil, type RetryPolicy } from './retry-schedule';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import type { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSender, type SendResult } from './webhook-sender';
import { signedHeaders } from './webhook-signature';
import { WebhookTargetPolicy } from './webhook-target-policy';
import type { Webhook } from './webhook.entity';
import {
  DELIVERIES_PER_JOB,
  DELIVERY_CONCURRENCY,
  DRAIN_WEBHOOK_JOB,
  DUE_TOLERANCE_MS,
  LAST_ERROR_MAX_CHARS,
  LEASE_MARGIN_MS,
  WEBHOOKS_QUEUE,
  type DrainWebhookJob,
} from './webhooks.constants';
import { WebhooksRepository } from './webhooks.repository';

/**
 * The Bull processor: one job drains one webhook — delivers its due deliveries one at a time in
 * sequence order. It runs only in processes with workers (APP_ROLE=worker or all).
 *
 * Order per webhook: a job first takes the webhook's delivery lease (a row lease, so no
 * transaction stays open during HTTP calls); only the holder delivers, and only ever the pending
 * delivery with the lowest sequence (the head). Delivery N+1 is therefore not attempted before N
 * is delivered or failed; a head waiting for a retry holds back everything behind it. A job
 * that finds the lease taken leaves: after releasing, the holder looks again for work that
 * arrived meanwhile, so nothing is stranded. A crashed holder's lease expires and the sweep
 * re-enqueues its webhook.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private readonly policy: RetryPolicy;
  private readonly leaseMs: number;
  private closing = false;

  constructor(
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue<DrainWebhookJob>,
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly events: EventsService,
    private readonly secrets: WebhookSecrets,
    private readonly targets: WebhookTargetPolicy,
    private readonly sender: WebhookSender,
    private readonly config: AppConfig,
  ) {
    this.policy = { baseMs: config.webhookRetryBaseMs, windowMs: config.webhookRetryWindowMs };
    this.leaseMs = config.webhookTimeoutMs + LEASE_MARGIN_MS;
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) return;
    // process() settles only when the queue closes; errors are reported on the queue too.
    this.queue
      .process(DRAIN_WEBHOOK_JOB, DELIVERY_CONCURRENCY, (job: Job<DrainWebhookJob>) =>
        this.drain(job.data.webhookId),
      )
      .catch((error: Error) => this.logger.error(`webhook worker stopped: ${error.message}`));
  }

  /** Stops taking work, waits for attempts in flight, all before the database pool closes. */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await this.queue.close();
  }

  async drain(webhookId: string): Promise<void> {
    while (!this.closing) {
      const leaseId = uuidv7();
      const webhook = await this.webhooks.claimLease(webhookId, leaseId, this.leaseMs);
      if (!webhook) return; // inactive, deleted, or another job is on it
      let handedOver: boolean;
      try {
        handedOver = await this.deliverDue(webhook, leaseId);
      } finally {
        await this.webhooks.releaseLease(webhookId, leaseId);
      }
      if (handedOver) return;
      // Jobs that came while we held the lease left; work they were for is ours to find now.
      const head = await this.deliveries.headOf(webhookId);
      if (!head || !this.isDue(head)) return;
    }
  }

  /**
   * Delivers heads while they are due. Returns true when the webhook was handed over (to a fresh
   * job for fairness, or because the lease was lost or the process is stopping).
   */
  private async deliverDue(webhook: Webhook, leaseId: string): Promise<boolean> {
    for (let made = 0; made < DELIVERIES_PER_JOB; made++) {
      if (this.closing) return true;
      const head = await this.deliveries.headOf(webhook.id);
      if (!head) return false;
      if (!this.isDue(head)) {
        await this.dispatcher.drainAt(webhook.id, head.id, head.nextAttemptAt!);
        return false;
      }
      if (!(await this.webhooks.renewLease(webhook.id, leaseId, this.leaseMs))) return true;
      await this.attempt(webhook, head);
    }
    await this.dispatcher.drainSoon(webhook.id);
    return true;
  }

  private isDue(delivery: WebhookDelivery): boolean {
    return (delivery.nextAttemptAt?.getTime() ?? 0) <= Date.now() + DUE_TOLERANCE_MS;
  }

  /** One attempt, recorded: delivered on any 2xx; otherwise retried with backoff, then failed. */
  private async attempt(webhook: Webhook, delivery: WebhookDelivery): Promise<void> {
    const startedAt = new Date();
    let result: SendResult | null = null;
    let error: string | null = null;
    try {
      const event = await this.events.findSequenced(delivery.eventId);
      if (!event) throw new Error(`event ${delivery.eventId} no longer exists`);
      const body = JSON.stringify(event);
      const secret = this.secrets.open(webhook.secretCiphertext, webhook.id);
      const signal = AbortSignal.timeout(this.config.webhookTimeoutMs);
      // Checked again now: DNS may have changed since the webhook was saved.
      const target = await untilAborted(this.targets.resolve(webhook.url), signal);
      result = await this.sender.post(target, signedHeaders(secret, event.id, body), body, signal);
      if (result.status < 200 || result.status >= 300) error = describeResponse(result);
    } catch (caught) {
      error = describeError(caught, this.config.webhookTimeoutMs);
    }
    const outcome = {
      responseStatus: result?.status ?? null,
      error: error === null ? null : error.slice(0, LAST_ERROR_MAX_CHARS),
      at: new Date(),
    };
    if (error === null) {
      await this.deliveries.recordDelivered(delivery.id, outcome);
      return;
    }
    const until = delivery.retryUntil ?? retryUntil(startedAt, this.policy);
    const next = afterFailure(delivery.attempts + 1, outcome.at, until, this.policy);
    await this.deliveries.recordFailed(
      delivery.id,
      outcome,
      until,
      next.status === 'pending' ? next.nextAttemptAt : null,
    );
    if (next.status === 'failed') {
      this.logger.warn(
        `webhook ${webhook.id}: delivery ${delivery.id} failed after ${delivery.attempts + 1} attempt(s): ${outcome.error}`,
      );
    }
  }
}

function describeResponse(result: SendResult): string {
  const excerpt = result.body.trim().slice(0, 500);
  if (result.status >= 300 && result.status < 400)
    return `HTTP ${result.status}: redirects are not followed`;
  return `HTTP ${result.status}${excerpt ? `: ${excerpt}` : ''}`;
}

function describeError(error: unknown, timeoutMs: number): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return `no response within ${timeoutMs / 1000} s`;
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/** `promise`, or a rejection with the signal's reason once it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
