import { ThrottledWarning } from '@helpdesk/common';
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
import { SLA_QUEUE, SLA_SWEEP_JOB, SLA_SWEEP_JOB_ID } from './sla.constants';
import { SlaSweepService, type SweepReport } from './sla-sweep.service';

/**
 * Runs the SLA sweep every SLA_SWEEP_INTERVAL_MS as a Bull repeatable job, in processes with
 * workers only (APP_ROLE=worker or all). Every worker schedules the same job (same name, id and
 * interval: one repeat key), so Bull creates one job per tick however many workers there are,
 * and one of them runs it; the sweep's advisory lock keeps a run that overruns its tick from
 * overlapping the next.
 */
@Injectable()
export class SlaSweepScheduler implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SlaSweepScheduler.name);
  private readonly warnings = new ThrottledWarning(this.logger);

  constructor(
    @InjectQueue(SLA_QUEUE) private readonly queue: Queue,
    private readonly sweep: SlaSweepService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Bull re-emits Redis connection errors on the queue; unheard, an 'error' event would throw.
    this.queue.on('error', (error: Error) => this.warnings.warn('SLA queue error', error));
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) return;
    // process() settles only when the queue closes.
    this.queue
      .process(SLA_SWEEP_JOB, 1, (): Promise<SweepReport | null> => this.sweep.run())
      .catch((error: unknown) => this.warnings.warn('SLA sweep worker stopped', error));
    // Not awaited: with Redis away the schedule is written once it is back, and start-up goes on.
    this.schedule().catch((error: unknown) =>
      this.warnings.warn('could not schedule the SLA sweep', error),
    );
  }

  async onModuleDestroy(): Promise<void> {
    // Waits for a sweep in progress, before the database pool closes.
    await this.queue.close();
  }

  private async schedule(): Promise<void> {
    const every = this.config.slaSweepIntervalMs;
    // A schedule left by an earlier SLA_SWEEP_INTERVAL_MS has another key and would keep ticking
    // alongside this one: remove it.
    for (const job of await this.queue.getRepeatableJobs()) {
      if (job.name === SLA_SWEEP_JOB && job.every !== every) {
        await this.queue.removeRepeatableByKey(job.key);
      }
    }
    await this.queue.add(
      SLA_SWEEP_JOB,
      {},
      { jobId: SLA_SWEEP_JOB_ID, repeat: { every }, removeOnComplete: true, removeOnFail: 100 },
    );
  }
}
