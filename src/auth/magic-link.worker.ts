import { InjectQueue } from '@nestjs/bull';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { SYSTEM_ACTOR, UnitOfWork } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { AuthService } from './auth.service';
import {
  ISSUE_MAGIC_LINK_JOB,
  MAGIC_LINKS_QUEUE,
  type IssueMagicLinkJob,
} from './magic-links.constants';

/**
 * Issues the magic links requests enqueued (in processes with workers only): the lookup, the
 * token and the outbox email happen here, in one unit of work, never on the request path.
 */
@Injectable()
export class MagicLinkWorker implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MagicLinkWorker.name);

  constructor(
    @InjectQueue(MAGIC_LINKS_QUEUE) private readonly queue: Queue<IssueMagicLinkJob>,
    private readonly auth: AuthService,
    private readonly unitOfWork: UnitOfWork,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Bull re-emits Redis connection errors on the queue; unheard, an 'error' event would throw.
    this.queue.on('error', (error: Error) => this.logger.debug(`queue error: ${error.message}`));
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) return;
    this.queue
      .process(ISSUE_MAGIC_LINK_JOB, 2, (job: Job<IssueMagicLinkJob>) =>
        this.unitOfWork.run(() => this.auth.issueMagicLink(job.data.email), {
          actor: SYSTEM_ACTOR,
        }),
      )
      .catch((error: unknown) =>
        this.logger.warn(
          `magic-link worker stopped: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }
}
