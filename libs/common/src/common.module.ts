import { Global, Module } from '@nestjs/common';
import { RequestContext } from './context/request-context';
import { DomainEvents } from './unit-of-work/domain-events';
import { UnitOfWork } from './unit-of-work/unit-of-work';
import { UnitOfWorkInterceptor } from './unit-of-work/unit-of-work.interceptor';

/** Request context and the unit of work, available to every feature module. */
@Global()
@Module({
  providers: [RequestContext, DomainEvents, UnitOfWork, UnitOfWorkInterceptor],
  exports: [RequestContext, DomainEvents, UnitOfWork, UnitOfWorkInterceptor],
})
export class CommonModule {}
