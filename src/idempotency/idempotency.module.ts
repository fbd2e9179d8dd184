import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { IdempotencyPurgeScheduler } from './idempotency-purge.scheduler';
import { IdempotencySealer } from './idempotency-sealer';
import { IDEMPOTENCY_QUEUE } from './idempotency.constants';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyRepository } from './idempotency.repository';

/** The shared Idempotency-Key mechanism: `@UseInterceptors(IdempotencyInterceptor)` on a route. */
@Global()
@Module({
  imports: [BullModule.registerQueue({ name: IDEMPOTENCY_QUEUE })],
  providers: [
    IdempotencyRepository,
    IdempotencyInterceptor,
    IdempotencySealer,
    IdempotencyPurgeScheduler,
  ],
  // @UseInterceptors builds the interceptor in the using module: its dependencies are exported.
  exports: [IdempotencyRepository, IdempotencyInterceptor, IdempotencySealer],
})
export class IdempotencyModule {}
