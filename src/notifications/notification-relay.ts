import { DomainEvents, ThrottledWarning, withTimeout } from '@helpdesk/common';
import { InjectQueue } from '@nestjs/bull';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from 'src/config/app-config';
import {
  DELIVER_NOTIFICATION_JOB,
  ENQUEUE_TIMEOUT_MS,
  NOTIFICATIONS_QUEUE,
  RELAY_BATCH_SIZE,
  REQUEUE_STALE_AFTER_MS,
  type DeliverNotificationJob,
} from './notifications.constants';
import { NotificationsRepository } from './notifications.repository';

/** Rows checked against the queue after a reconnect (more wait for the stale sweep). */
const RECONCILE_BATCH_SIZE = 2_000;

/**
 * Moves pending outbox rows onto the Bull queue (job id = notification id, so a row enqueued
 * twice is one job). It is woken right after a transaction that planned notifications commits,
 * whenever Redis (re)connects, and — in worker processes — by an interval sweep, which also picks
 * up rows whose enqueueing failed (Redis down) or whose job went missing. While Redis is down,
 * rows simply wait in PostgreSQL.
 *
 * It also owns the queue's shutdown: it stops relaying, then closes the queue, which waits for the
 * deliveries in progress, all before the database pool closes.
 */
@Injectable()
export class NotificationRelay implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NotificationRelay.name);
  private readonly warnings = new ThrottledWarning(this.logger);
  private sweepTimer?: NodeJS.Timeout;
  private draining: Promise<void> | null = null;
  private wakeRequested = false;
  private reconcileRequested = false;
  private closed = false;

  constructor(
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue<DeliverNotificationJob>,
    private readonly repository: NotificationsRepository,
    private readonly domainEvents: DomainEvents,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Bull re-emits Redis connection errors on the queue; unheard, an 'error' event would throw.
    this.queue.on('error', (error: Error) => this.warnings.warn('notification queue error', error));
    // (Re)connected: Redis may have come back empty (restarted without persistence, failed over),
    // so first look for rows whose job it lost, then relay as usual.
    this.queue.client.on('ready', () => {
      this.reconcileRequested = true;
      this.wake();
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) return;
    this.sweepTimer = setInterval(() => this.wake(), this.config.mailSweepIntervalMs);
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    await this.draining;
    await this.queue.close();
  }

  /**
   * Called by whoever just wrote pending rows inside a unit of work: the relay runs once it
   * commits (never before, or it would look for rows it cannot see yet), through the unit of
   * work's after-commit callbacks.
   */
  wakeAfterCommit(): void {
    this.domainEvents.afterCommit(() => this.wake());
  }

  /** Runs the relay soon; wakes that arrive while it runs make it go round once more. */
  wake(): void {
    if (this.closed) return;
    this.wakeRequested = true;
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.wakeRequested && !this.closed) {
      this.wakeRequested = false;
      if (this.reconcileRequested) {
        this.reconcileRequested = false;
        await this.requeueLost();
      }
      await this.relayPending();
    }
  }

  /** Moves every claimable pending row onto the queue; returns how many it moved. Never throws. */
  async relayPending(): Promise<number> {
    // Redis is away: leave the rows alone (unclaimed) until the client's 'ready' wakes us.
    if (this.queue.client.status !== 'ready') return 0;
    let moved = 0;
    try {
      for (;;) {
        const staleBefore = new Date(Date.now() - REQUEUE_STALE_AFTER_MS);
        const ids = await this.repository.claimForRelay(staleBefore, RELAY_BATCH_SIZE);
        if (ids.length === 0) break;
        if (!(await this.enqueue(ids))) {
          await this.repository.releaseClaims(ids);
          break;
        }
        moved += ids.length;
        if (ids.length < RELAY_BATCH_SIZE) break;
      }
    } catch (error) {
      this.warnings.warn('notification relay failed; pending rows wait for the next sweep', error);
    }
    return moved;
  }

  /**
   * Rows claimed for a job that Redis no longer has go back to the relay now, instead of waiting
   * REQUEUE_STALE_AFTER_MS (5 min) to look stale. A job that exists (waiting, active, delayed for
   * a retry) is left alone; re-adding one anyway would be harmless (job id = row id, and delivery
   * locks the row and skips one already sent). Never throws.
   */
  async requeueLost(): Promise<number> {
    if (this.queue.client.status !== 'ready') return 0;
    try {
      const lost: string[] = [];
      for (const id of await this.repository.queuedPending(RECONCILE_BATCH_SIZE)) {
        const job = await withTimeout(this.queue.getJob(id), ENQUEUE_TIMEOUT_MS, 'reading a job');
        if (!job) lost.push(id);
      }
      await this.repository.releaseClaims(lost);
      if (lost.length)
        this.logger.warn(`re-queueing ${lost.length} notification(s) whose job Redis lost`);
      return lost.length;
    } catch (error) {
      this.warnings.warn(
        'could not check the queue for lost jobs; the sweep retries them later',
        error,
      );
      return 0;
    }
  }

  private async enqueue(ids: string[]): Promise<boolean> {
    const jobs = ids.map((id) => ({
      name: DELIVER_NOTIFICATION_JOB,
      data: { notificationId: id },
      opts: {
        jobId: id,
        attempts: this.config.mailMaxAttempts,
        backoff: { type: 'exponential', delay: this.config.mailRetryBaseMs },
        // The row is the record (status, attempts, last error); a finished job is clutter, and
        // removing it lets an admin retry enqueue the same id again.
        removeOnComplete: true,
        removeOnFail: true,
      },
    }));
    try {
      await withTimeout(this.queue.addBulk(jobs), ENQUEUE_TIMEOUT_MS, 'enqueueing notifications');
      return true;
    } catch (error) {
      this.warnings.warn(
        `could not enqueue ${ids.length} notification(s); they wait in the outbox`,
        error,
      );
      return false;
    }
  }
}
