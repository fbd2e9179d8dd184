import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  DomainEvents,
  recordedActorOf,
  uuidv7,
  type DomainEvent,
  type DomainEventConsumer,
  type UnitOfWorkContext,
} from '@helpdesk/common';
import type { StaffTicketResponse } from 'src/tickets/dto';
import { toStaffTicket } from 'src/tickets/ticket.mappers';
import { ticketSnapshotOf } from 'src/tickets/ticket-snapshot';
import { EventSequencer } from './event-sequencer';
import { EventsRepository } from './events.repository';
import { feedDetailsOf, feedTypeOf, type FeedEventType } from './feed-event-types';
import { FeedEvent } from './feed-event.entity';

/**
 * Turns the feed-relevant domain events of a unit of work into `event` rows inside its
 * transaction, so the feed holds exactly the changes that committed. Each row carries the ticket
 * as the change left it: the snapshot its use case recorded the event with (never a re-read).
 * Rows commit unsequenced; after the commit the sequencer is woken to number them.
 */
@Injectable()
export class EventFeedWriter implements DomainEventConsumer, OnModuleInit {
  readonly name = 'event-feed';

  constructor(
    private readonly domainEvents: DomainEvents,
    private readonly events: EventsRepository,
    private readonly sequencer: EventSequencer,
  ) {}

  onModuleInit(): void {
    this.domainEvents.register(this);
  }

  async consume(events: readonly DomainEvent[], context: UnitOfWorkContext): Promise<void> {
    const entries = mergeTicketEdits(
      events.flatMap((event) => {
        const type = feedTypeOf(event);
        if (!type || !event.resourceId) return [];
        const snapshot = ticketSnapshotOf(event);
        // A programming error, not a runtime condition: every ticket event is recorded with one.
        if (!snapshot) throw new Error(`${event.type} was recorded without a ticket snapshot`);
        return [
          {
            type,
            ticketId: event.resourceId,
            occurredAt: event.occurredAt,
            details: feedDetailsOf(type, event),
            ticket: toStaffTicket(snapshot.ticket),
          },
        ];
      }),
    );
    if (entries.length === 0) return;

    const actor = recordedActorOf(context.actor);
    // UUID v7s drawn in one millisecond are not ordered among themselves: sorted, they number
    // this transaction's events in the order they were recorded.
    const ids = entries.map(() => uuidv7()).sort();
    const rows = entries.map(({ type, ticketId, occurredAt, details, ticket }, index) =>
      Object.assign(new FeedEvent(), {
        id: ids[index],
        type,
        occurredAt,
        actorType: actor.type,
        actorId: actor.id,
        ticketId,
        data: { ticket, ...details },
      }),
    );
    await this.events.insertMany(rows);
  }

  afterCommit(events: readonly DomainEvent[]): void {
    if (events.some((event) => feedTypeOf(event) !== null)) this.sequencer.wake();
  }
}

interface FeedEntry {
  type: FeedEventType;
  ticketId: string;
  occurredAt: Date;
  details: Record<string, unknown>;
  /** The ticket as its change left it. */
  ticket?: StaffTicketResponse;
}

/**
 * One edit is one `ticket.updated`: a PATCH that changes the subject and the priority records two
 * domain events (priority changes have their own, for SLA and audit), which integrations receive
 * as a single event whose `changes` hold both.
 */
export function mergeTicketEdits(entries: FeedEntry[]): FeedEntry[] {
  const merged: FeedEntry[] = [];
  const edits = new Map<string, FeedEntry>();
  for (const entry of entries) {
    const earlier = entry.type === 'ticket.updated' ? edits.get(entry.ticketId) : undefined;
    if (earlier) {
      earlier.details.changes = {
        ...(earlier.details.changes as object | undefined),
        ...(entry.details.changes as object | undefined),
      };
      continue;
    }
    if (entry.type === 'ticket.updated') edits.set(entry.ticketId, entry);
    merged.push(entry);
  }
  return merged;
}
