import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import type { Actor } from '../context/actor';
import { CTX_ACTOR, RequestContext } from '../context/request-context';
import type { DomainEvent } from './domain-event';
import { CTX_AFTER_COMMIT, CTX_EVENTS, DomainEvents } from './domain-events';

const CTX_COMMITTED = 'uow.committed';

/**
 * One change, all or nothing: opens a transaction, runs the work, hands the domain events it
 * recorded to their consumers (audit, outbox, feed) inside the same transaction, and commits.
 * Any error rolls back the change and everything derived from it.
 */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly cls: ClsService,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly domainEvents: DomainEvents,
    private readonly context: RequestContext,
  ) {}

  async run<T>(work: () => Promise<T>, options: { actor?: Actor } = {}): Promise<T> {
    return this.cls.run({ ifNested: 'inherit' }, async () => {
      if (options.actor) this.cls.set(CTX_ACTOR, options.actor);
      // A run nested in another joins its transaction, so its after-commit work must wait for
      // the outermost run's commit.
      const outer = this.cls.get<DomainEvent[] | undefined>(CTX_COMMITTED);
      const recorded: DomainEvent[] = [];
      this.cls.set(CTX_EVENTS, recorded);
      const dispatched: DomainEvent[] = outer ?? [];
      this.cls.set(CTX_COMMITTED, dispatched);
      const callbacks: (() => void)[] = outer
        ? (this.cls.get<(() => void)[] | undefined>(CTX_AFTER_COMMIT) ?? [])
        : [];
      this.cls.set(CTX_AFTER_COMMIT, callbacks);
      let result: T;
      try {
        result = await this.txHost.withTransaction(async () => {
          const value = await work();
          const events = recorded.splice(0);
          await this.domainEvents.dispatch(events, {
            actor: this.context.actor,
            requestId: this.context.requestId,
            ip: this.context.ip,
            userAgent: this.context.userAgent,
          });
          dispatched.push(...events);
          return value;
        });
      } catch (error) {
        // Rolled back: nothing runs after it, and a later unit of work starts clean.
        if (!outer) {
          this.cls.set(CTX_COMMITTED, undefined);
          this.cls.set(CTX_AFTER_COMMIT, undefined);
        }
        throw error;
      }
      if (!outer) {
        // Committed: work started from the hooks is not nested in anything any more.
        this.cls.set(CTX_COMMITTED, undefined);
        this.cls.set(CTX_AFTER_COMMIT, undefined);
        this.domainEvents.committed(dispatched, callbacks);
      }
      return result;
    });
  }
}
