import { Injectable, Logger } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { DomainEvent, DomainEventConsumer, UnitOfWorkContext } from './domain-event';
import { DeferredInserts } from './deferred-inserts';

export const CTX_EVENTS = 'uow.events';
/** The callbacks to run once the outermost unit of work has committed. */
export const CTX_AFTER_COMMIT = 'uow.afterCommit';

/** Where services record what happened, and where consumers register to hear about it. */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger(DomainEvents.name);
  private readonly consumers: DomainEventConsumer[] = [];

  constructor(
    private readonly cls: ClsService,
    private readonly deferredInserts: DeferredInserts,
  ) {}

  register(consumer: DomainEventConsumer): void {
    if (!this.consumers.some((c) => c.name === consumer.name)) this.consumers.push(consumer);
  }

  /** Records an event in the current unit of work. Outside one, this is a programming error. */
  record(event: DomainEvent): void {
    const buffer = this.cls.isActive()
      ? this.cls.get<DomainEvent[] | undefined>(CTX_EVENTS)
      : undefined;
    if (!buffer) {
      throw new Error(`Domain event ${event.type} recorded outside a unit of work`);
    }
    buffer.push(event);
  }

  /**
   * Runs `callback` once the current unit of work has committed (never if it rolls back), or
   * now when there is none: the one after-commit mechanism, for work that must see the commit
   * (a relay looking for the rows this transaction wrote). Must not throw.
   */
  afterCommit(callback: () => void): void {
    const pending = this.cls.isActive()
      ? this.cls.get<(() => void)[] | undefined>(CTX_AFTER_COMMIT)
      : undefined;
    if (pending) pending.push(callback);
    else callback();
  }

  /** @internal Used by UnitOfWork: hands the buffered events to every consumer, in the transaction. */
  async dispatch(events: readonly DomainEvent[], context: UnitOfWorkContext): Promise<void> {
    if (events.length === 0) return;
    // The consumers' inserts go to PostgreSQL together once they are all done (DeferredInserts).
    await this.deferredInserts.collect(async () => {
      for (const consumer of this.consumers) {
        await consumer.consume(events, context);
      }
    });
  }

  /** @internal Used by UnitOfWork after commit. */
  committed(events: readonly DomainEvent[], callbacks: readonly (() => void)[] = []): void {
    for (const callback of callbacks) {
      try {
        callback();
      } catch (error) {
        this.logger.warn({ err: error }, 'after-commit callback failed');
      }
    }
    if (events.length === 0) return;
    for (const consumer of this.consumers) {
      try {
        consumer.afterCommit?.(events);
      } catch (error) {
        this.logger.warn({ err: error, consumer: consumer.name }, 'afterCommit hook failed');
      }
    }
  }
}
