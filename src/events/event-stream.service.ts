import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { EventResponse } from './dto/event.dto';
import { EventSequencer } from './event-sequencer';
import {
  STREAM_BATCH_SIZE,
  STREAM_KEEP_ALIVE_MS,
  STREAM_POLL_INTERVAL_MS,
  STREAM_RETRY_MS,
} from './events.constants';
import { EventsService } from './events.service';
import type { FeedEventType } from './feed-event-types';

interface OpenStream {
  raw: ServerResponse;
  /** The highest sequence this client has been given (or skipped past). */
  cursor: number;
  types?: readonly FeedEventType[];
  keepAlive: NodeJS.Timeout;
  pumping: boolean;
  again: boolean;
  closed: boolean;
}

/** One SSE frame: `id` is the sequence, so `Last-Event-ID` resumes right after it. */
export function sseFrame(event: EventResponse): string {
  return `id: ${event.sequence}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Server-Sent Events over the feed table. Each stream keeps a cursor and reads the table after
 * it — the same rows, order and payloads as `GET /admin/events`, never a separate in-memory path.
 * Streams are pumped when this process's sequencer numbers events, and by a poll of the feed's
 * head while any stream is open (events numbered by other processes).
 */
@Injectable()
export class EventStreamService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventStreamService.name);
  private readonly streams = new Set<OpenStream>();
  private pollTimer?: NodeJS.Timeout;
  private polling = false;
  private knownHead = 0;

  constructor(
    private readonly events: EventsService,
    private readonly sequencer: EventSequencer,
  ) {}

  onModuleInit(): void {
    this.sequencer.register({
      name: 'event-stream',
      onSequenced: async (numbered) => {
        const head = numbered[numbered.length - 1]?.sequence ?? 0;
        return () => this.advanced(head);
      },
    });
  }

  onModuleDestroy(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    for (const stream of this.streams) {
      this.close(stream);
      stream.raw.end();
    }
  }

  get openStreams(): number {
    return this.streams.size;
  }

  /**
   * Takes over the reply and streams events after `lastEventId` (or from the present) until the
   * client goes away or the application stops.
   */
  async open(
    reply: FastifyReply,
    options: { lastEventId?: number; types?: readonly FeedEventType[] },
  ): Promise<void> {
    const cursor = options.lastEventId ?? (await this.events.head());
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      // Headers set by hooks so far (request id, CORS, helmet) still apply.
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(`retry: ${STREAM_RETRY_MS}\n: streaming events after ${cursor}\n\n`);
    const stream: OpenStream = {
      raw,
      cursor,
      types: options.types,
      keepAlive: setInterval(() => raw.write(': keep-alive\n\n'), STREAM_KEEP_ALIVE_MS),
      pumping: false,
      again: false,
      closed: false,
    };
    this.streams.add(stream);
    // The response's 'close' is the client going away (the request's fires once it is read).
    const onGone = () => this.close(stream);
    raw.on('close', onGone);
    raw.on('error', onGone);
    this.pollTimer ??= setInterval(() => void this.poll(), STREAM_POLL_INTERVAL_MS);
    void this.pump(stream);
  }

  private close(stream: OpenStream): void {
    if (stream.closed) return;
    stream.closed = true;
    clearInterval(stream.keepAlive);
    this.streams.delete(stream);
    if (this.streams.size === 0) {
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
    }
  }

  private advanced(head: number): void {
    if (head > this.knownHead) this.knownHead = head;
    for (const stream of this.streams) if (stream.cursor < head) void this.pump(stream);
  }

  private async poll(): Promise<void> {
    if (this.polling || this.streams.size === 0) return;
    this.polling = true;
    try {
      this.advanced(await this.events.head());
    } catch (error) {
      this.logger.warn(`event stream poll failed: ${(error as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  /** Sends everything after the stream's cursor; calls that arrive meanwhile make it go again. */
  private async pump(stream: OpenStream): Promise<void> {
    if (stream.pumping) {
      stream.again = true;
      return;
    }
    stream.pumping = true;
    try {
      do {
        stream.again = false;
        for (;;) {
          const page = await this.events.page({
            after: stream.cursor,
            types: stream.types,
            limit: STREAM_BATCH_SIZE,
          });
          for (const event of page.items) {
            if (stream.closed) return;
            if (!stream.raw.write(sseFrame(event))) await drained(stream.raw);
          }
          if (stream.closed) return;
          stream.cursor = Math.max(stream.cursor, page.next_after);
          if (page.items.length < STREAM_BATCH_SIZE) break;
        }
      } while (stream.again && !stream.closed);
    } catch (error) {
      this.logger.warn(`event stream failed: ${(error as Error).message}`);
      this.close(stream);
      stream.raw.end();
    } finally {
      stream.pumping = false;
    }
  }
}

/** Resolves when the socket can take more, or when it is gone. */
function drained(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}
