import type { OnModuleInit } from '@nestjs/common';
import type {
  DomainEvent,
  DomainEventConsumer,
  DomainEvents,
  UnitOfWorkContext,
} from '@helpdesk/common';

export type EventPlan = (event: DomainEvent, context: UnitOfWorkContext) => Promise<void>;

/**
 * A domain-event consumer that plans emails: one planning function per event type, run inside
 * the unit of work that recorded the event, so a rolled-back change never sends an email.
 */
export abstract class EventPlanner implements DomainEventConsumer, OnModuleInit {
  abstract readonly name: string;
  protected abstract readonly planners: Readonly<Record<string, EventPlan>>;

  protected constructor(private readonly domainEvents: DomainEvents) {}

  onModuleInit(): void {
    this.domainEvents.register(this);
  }

  async consume(events: readonly DomainEvent[], context: UnitOfWorkContext): Promise<void> {
    for (const event of events) {
      const plan = this.planners[event.type];
      if (plan) await plan(event, context);
    }
  }
}
