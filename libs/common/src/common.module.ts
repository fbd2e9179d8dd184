import { Global, Module } from '@nestjs/common';
import { Clock } from './clock/clock';
import { RequestContext } from './context/request-context';
import { DeferredInserts } from './unit-of-work/deferred-inserts';
import { DomainEvents } from './unit-of-work/domain-events';
import { UnitOfWork } from './unit-of-work/unit-of-work';
import { UnitOfWorkInterceptor } from './unit-of-work/unit-of-work.interceptor';

/** Request context, the unit of work and the clock, available to every feature module. */
@Global()
@Module({
  providers: [
    RequestContext,
    DeferredInserts,
    DomainEvents,
    UnitOfWork,
    UnitOfWorkInterceptor,
    Clock,
  ],
  exports: [
    RequestContext,
    DeferredInserts,
    DomainEvents,
    UnitOfWork,
    UnitOfWorkInterceptor,
    Clock,
  ],
})
export class CommonModule {}
