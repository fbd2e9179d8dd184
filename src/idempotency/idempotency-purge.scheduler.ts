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
  IDEMPOTENCY_PURGE_JOB,
  IDEMPOTENCY_PURGE_JOB_ID,
  IDEMPOTENCY_QUEUE,
  IDEMPOTENCY_TTL_MS,
} from './idempotency.constants';
import { IdempotencyRepository } from './idempotency.repository';

/**
 * Deletes idempotency records past their 24 h window, every IDEMPOTENCY_PURGE_INTERVAL_MS, as a
 * Bull repeatable job in processes with workers (one run per tick across all workers, like the
 * SLA sweep). A record past its window is never replayed anyway; the purge keeps the table (and
 * the sealed responses in it) from growing forever.
 */
@Injectable()
export class IdempotencyPurgeScheduler
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger(IdempotencyPurgeScheduler.name);

  constructor(
    @InjectQueue(IDEMPOTENCY_QUEUE) private readonly queue: Queue,
    private readonly keys: IdempotencyRepository,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Bull re-emits Redis connection errors on the queue; unheard, an 'error' event would throw.
    this.queue.on('error', (error: Error) => this.logger.debug(`queue error: ${error.message}`));
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) return;
    this.queue
      .process(IDEMPOTENCY_PURGE_JOB, 1, () => this.purge())
      .catch((error: unknown) => this.warn('idempotency purge worker stopped', error));
    this.schedule().catch((error: unknown) =>
      this.warn('could not schedule the idempotency purge', error),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }

  /** Deletes every record older than the window; returns how many. */
  async purge(now = new Date()): Promise<number> {
    return this.keys.deleteCreatedBefore(new Date(now.getTime() - IDEMPOTENCY_TTL_MS));
  }

  private async schedule(): Promise<void> {
    const every = this.config.idempotencyPurgeIntervalMs;
    for (const job of await this.queue.getRepeatableJobs()) {
      if (job.name === IDEMPOTENCY_PURGE_JOB && job.every !== every) {
        await this.queue.removeRepeatableByKey(job.key);
      }
    }
    await this.queue.add(
      IDEMPOTENCY_PURGE_JOB,
      {},
      {
        jobId: IDEMPOTENCY_PURGE_JOB_ID,
        repeat: { every },
        removeOnComplete: true,
        removeOnFail: 100,
      },
    );
  }

  private warn(message: string, error: unknown): void {
    this.logger.warn(`${message}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
