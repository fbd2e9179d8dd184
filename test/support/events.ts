import { DomainEvents, type DomainEvent, type UnitOfWorkContext } from '@helpdesk/common';
import type { TestApp } from './test-app';

export interface RecordedEvent {
  event: DomainEvent;
  context: UnitOfWorkContext;
}

/**
 * Registers a consumer that keeps every domain event dispatched (i.e. about to commit) from now
 * on, as the audit, outbox and feed consumers would receive it. Events of a unit of work that
 * rolled back before dispatch never appear.
 */
export function captureDomainEvents(t: TestApp): {
  events: RecordedEvent[];
  ofType(type: string, resourceId?: string): RecordedEvent[];
} {
  const events: RecordedEvent[] = [];
  t.app.get(DomainEvents).register({
    name: `test-capture-${Date.now()}-${Math.random()}`,
    consume: async (batch, context) => {
      for (const event of batch) events.push({ event, context });
    },
  });
  return {
    events,
    ofType: (type, resourceId) =>
      events.filter(
        (e) =>
          e.event.type === type && (resourceId === undefined || e.event.resourceId === resourceId),
      ),
  };
}
