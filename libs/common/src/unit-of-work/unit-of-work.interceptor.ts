import {
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { UnitOfWork } from './unit-of-work';

const NO_UNIT_OF_WORK = 'uow.skip';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Opt a mutating handler out of the request-wide transaction, for handlers that manage their
 * own units of work (e.g. bulk actions: one transaction per ticket). Say why where it is used.
 */
export const NoUnitOfWork = (): MethodDecorator => SetMetadata(NO_UNIT_OF_WORK, true);

/** Wraps every mutating HTTP handler in one UnitOfWork. */
@Injectable()
export class UnitOfWorkInterceptor implements NestInterceptor {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const method = context.switchToHttp().getRequest<{ method: string }>().method;
    const skip = this.reflector.get<boolean | undefined>(NO_UNIT_OF_WORK, context.getHandler());
    if (!MUTATING.has(method) || skip) return next.handle();
    return from(
      this.unitOfWork.run(() => lastValueFrom(next.handle(), { defaultValue: undefined })),
    );
  }
}
