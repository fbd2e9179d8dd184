import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { RateLimitedError, UnauthenticatedError } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
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
import { StreamCallerCheck, type StreamCredential, type StreamEnd } from './stream-caller';

/** How long a client refused for too many open streams is asked to wait. */
const STREAMS_FULL_RETRY_AFTER_SECONDS = 5;
/** setTimeout's ceiling; a later expiry is caught by the periodic re-check. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface OpenStream {
  raw: ServerResponse;
  credential: StreamCredential;
  callerKey: string;
  recheckTimer: NodeJS.Timeout;
  expiryTimer?: NodeJS.Timeout;
  /** The highest sequence this client has been given (or skipped past). */
  cursor: number;
  types?: readonly FeedEventType[];
  keepAlive: NodeJS.Timeout;
  pumping: boolean;
  again: boolean;
  closed: boolean;
}

/**
 * The last frame of a stream whose caller may no longer read it: `code` is the problem code the
 * same credential now gets on a request (TOKEN_EXPIRED, ACCOUNT_DISABLED, UNAUTHENTICATED,
 * FORBIDDEN). No `id`, so a client's Last-Event-ID stays on the last event it was given.
 */
export function closingFrame(end: StreamEnd): string {
  return `event: stream.closed\ndata: ${JSON.stringify(end)}\n\n`;
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
 *
 * Each stream re-checks its caller every EVENT_STREAM_RECHECK_MS, and at a bearer token's expiry
 * (issue 21): a caller who may no longer read it gets a `stream.closed` frame saying why, and the
 * stream ends. Open streams are capped per caller and per process (429 beyond).
 */
@Injectable()
export class EventStreamService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventStreamService.name);
  private readonly streams = new Set<OpenStream>();
  private pollTimer?: NodeJS.Timeout;
  private polling = false;
  private knownHead = 0;
  /** Open (or opening) streams per caller, and in all. */
  private readonly perCaller = new Map<string, number>();
  private reserved = 0;

  constructor(
    private readonly events: EventsService,
    private readonly sequencer: EventSequencer,
    private readonly callers: StreamCallerCheck,
    private readonly config: AppConfig,
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
    const credential = this.callers.credentialOf(reply.request);
    if (!credential) throw new UnauthenticatedError('Credentials are required.');
    const callerKey = `${credential.actor.type}:${credential.actor.id}`;
    this.reserve(callerKey);
    let cursor: number;
    try {
      cursor = options.lastEventId ?? (await this.events.head());
    } catch (error) {
      this.release(callerKey);
      throw error;
    }
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
      credential,
      callerKey,
      cursor,
      types: options.types,
      keepAlive: setInterval(() => raw.write(': keep-alive\n\n'), STREAM_KEEP_ALIVE_MS),
      recheckTimer: setInterval(() => void this.recheck(stream), this.config.eventStreamRecheckMs),
      pumping: false,
      again: false,
      closed: false,
    };
    const expiresAt = this.callers.expiresAt(credential);
    if (expiresAt !== undefined && expiresAt - Date.now() < MAX_TIMER_MS) {
      stream.expiryTimer = setTimeout(
        () => void this.recheck(stream),
        Math.max(0, expiresAt - Date.now()),
      );
    }
    this.streams.add(stream);
    // The response's 'close' is the client going away (the request's fires once it is read).
    const onGone = () => this.close(stream);
    raw.on('close', onGone);
    raw.on('error', onGone);
    this.pollTimer ??= setInterval(() => void this.poll(), STREAM_POLL_INTERVAL_MS);
    void this.pump(stream);
  }

  /** Counts a stream in before it opens, or answers 429 when the caller or process is full. */
  private reserve(callerKey: string): void {
    if (this.reserved >= this.config.eventStreamsPerProcess) {
      throw new RateLimitedError(
        STREAMS_FULL_RETRY_AFTER_SECONDS,
        'Too many event streams are open on this server; retry later.',
      );
    }
    const mine = this.perCaller.get(callerKey) ?? 0;
    if (mine >= this.config.eventStreamsPerCaller) {
      throw new RateLimitedError(
        STREAMS_FULL_RETRY_AFTER_SECONDS,
        `You already have ${mine} event streams open; close one or retry later.`,
      );
    }
    this.perCaller.set(callerKey, mine + 1);
    this.reserved += 1;
  }

  private release(callerKey: string): void {
    const mine = (this.perCaller.get(callerKey) ?? 1) - 1;
    if (mine > 0) this.perCaller.set(callerKey, mine);
    else this.perCaller.delete(callerKey);
    this.reserved -= 1;
  }

  /** Ends the stream with a `stream.closed` frame when its caller may no longer read it. */
  private async recheck(stream: OpenStream): Promise<boolean> {
    if (stream.closed) return false;
    let end: StreamEnd | null;
    try {
      end = await this.callers.recheck(stream.credential);
    } catch (error) {
      // The check itself failed (database away): keep the stream; the next tick tries again.
      this.logger.warn(`event stream re-check failed: ${(error as Error).message}`);
      return true;
    }
    if (!end) return true;
    if (!stream.closed) {
      this.close(stream);
      stream.raw.end(closingFrame(end));
    }
    return false;
  }

  private close(stream: OpenStream): void {
    if (stream.closed) return;
    stream.closed = true;
    clearInterval(stream.keepAlive);
    clearInterval(stream.recheckTimer);
    clearTimeout(stream.expiryTimer);
    this.streams.delete(stream);
    this.release(stream.callerKey);
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
          // An expired token sends nothing more, even before its timer fires.
          const expiresAt = this.callers.expiresAt(stream.credential);
          if (page.items.length && expiresAt !== undefined && expiresAt <= Date.now()) {
            if (!(await this.recheck(stream))) return;
          }
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
