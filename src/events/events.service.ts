import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '@helpdesk/common';
import { toEventResponse, type EventPageResponse, type EventResponse } from './dto/event.dto';
import { EventsRepository } from './events.repository';
import type { FeedEventType } from './feed-event-types';

export interface FeedPageQuery {
  after: number;
  types?: readonly FeedEventType[];
  limit: number;
}

/** Reads of the feed. Only sequenced events are ever visible (see EventSequencer). */
@Injectable()
export class EventsService {
  constructor(private readonly events: EventsRepository) {}

  /**
   * A page of events after `after`. `next_after` is the highest sequence scanned: the last item
   * of a full page, else the feed's head in the same snapshot, so type-filtered readers skip
   * past everything they were not interested in and never see a gap below it later.
   */
  async page(query: FeedPageQuery): Promise<EventPageResponse> {
    const { items, head } = await this.events.pageAfter(query.after, query.types, query.limit);
    const full = items.length === query.limit;
    const nextAfter = full ? items[items.length - 1].sequence : Math.max(query.after, head);
    return { items: items.map(toEventResponse), next_after: nextAfter };
  }

  /** The highest sequence so far: where a reader that wants only new events starts. */
  head(): Promise<number> {
    return this.events.head();
  }

  /** One sequenced event as the feed shows it (webhook bodies), or null. */
  async findSequenced(id: string): Promise<EventResponse | null> {
    const event = await this.events.findSequenced(id);
    return event ? toEventResponse(event) : null;
  }
}

/** `Last-Event-ID`: absent or empty = none; otherwise a sequence number. */
export function parseLastEventId(header: string | string[] | undefined): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    throw ValidationFailedError.forField(
      'Last-Event-ID',
      'Last-Event-ID must be the sequence of an event this stream sent',
    );
  }
  return Number(value);
}
