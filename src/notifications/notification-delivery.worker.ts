import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { SYSTEM_ACTOR, UnitOfWork } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { MailService } from './mail.service';
import { CREDENTIAL_BEARING_EVENTS } from './notification-events';
import {
  DELIVER_NOTIFICATION_JOB,
  DELIVERY_CONCURRENCY,
  NOTIFICATIONS_QUEUE,
  type DeliverNotificationJob,
} from './notifications.constants';
import { NotificationsRepository } from './notifications.repository';

type Outcome =
  { kind: 'sent' | 'skipped' } | { kind: 'retry' | 'failed'; error: unknown; attempts: number };

/** SMTP 5xx replies are permanent: another attempt would get the same answer. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 1000);
}

/**
 * The Bull processor that delivers one notification per job. It runs only in processes with
 * workers (APP_ROLE=worker or all); API-only processes enqueue and never deliver.
 *
 * The row is locked (SKIP LOCKED) for the length of the delivery, so two workers handed the same
 * id (a re-queued job, a stalled one) never both send it, and a row already sent is skipped. A
 * failed attempt is recorded on the row; the job then throws so Bull retries it with exponential
 * backoff, until the last attempt (or a permanent SMTP refusal) marks the row `failed`.
 */
@Injectable()
export class NotificationDeliveryWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationDeliveryWorker.name);

  constructor(
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue<DeliverNotificationJob>,
    private readonly repository: NotificationsRepository,
    private readonly mail: MailService,
    private readonly unitOfWork: UnitOfWork,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) return;
    // process() settles only when the queue closes; errors are reported on the queue too.
    this.queue
      .process(DELIVER_NOTIFICATION_JOB, DELIVERY_CONCURRENCY, (job) => this.deliver(job))
      .catch((error: unknown) =>
        this.logger.error(
          `notification worker stopped: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }

  async deliver(job: Job<DeliverNotificationJob>): Promise<void> {
    const id = job.data.notificationId;
    const outcome = await this.unitOfWork.run(() => this.attempt(id, job), {
      actor: SYSTEM_ACTOR,
    });
    if (outcome.kind === 'failed') {
      this.logger.warn(
        `notification ${id} failed after ${outcome.attempts} attempt(s): ${describe(outcome.error)}`,
      );
    }
    // Throwing hands the job back to Bull, which schedules the next attempt.
    if (outcome.kind === 'retry') throw outcome.error;
  }

  private async attempt(id: string, job: Job<DeliverNotificationJob>): Promise<Outcome> {
    const notification = await this.repository.lockForDelivery(id);
    // Missing, being delivered by another worker, already sent, or failed for good.
    if (!notification || notification.status !== 'pending') return { kind: 'skipped' };
    try {
      await this.mail.send({
        to: notification.recipient,
        subject: notification.subject,
        text: notification.textBody,
        html: notification.htmlBody,
        messageId: notification.messageIdHeader,
        inReplyTo: notification.inReplyTo ?? undefined,
        references: notification.referencesHeader.length
          ? notification.referencesHeader
          : undefined,
        replyTo: notification.replyTo ?? undefined,
        // RFC 3834: an automatic message; asks auto-responders not to answer it.
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      });
    } catch (error) {
      const attempts = notification.attempts + 1;
      const bullAttemptsLeft = (job.opts.attempts ?? 1) - (job.attemptsMade + 1);
      const final =
        isPermanent(error) || attempts >= this.config.mailMaxAttempts || bullAttemptsLeft <= 0;
      await this.repository.recordFailedAttempt(id, {
        attempts,
        error: describe(error),
        status: final ? 'failed' : 'pending',
        nextAttemptAt: final
          ? null
          : new Date(Date.now() + this.backoffAfter(job.attemptsMade + 1)),
      });
      return { kind: final ? 'failed' : 'retry', error, attempts };
    }
    await this.repository.markSent(id, {
      redactBodies: CREDENTIAL_BEARING_EVENTS.has(notification.event),
    });
    return { kind: 'sent' };
  }

  /** Bull's exponential backoff: base × (2^n − 1) after the n-th failed attempt. */
  private backoffAfter(attemptsMade: number): number {
    return Math.round((2 ** attemptsMade - 1) * this.config.mailRetryBaseMs);
  }
}
