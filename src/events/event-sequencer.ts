import { ThrottledWarning } from '@helpdesk/common';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import { SEQUENCER_BATCH_SIZE, SEQUENCER_SWEEP_INTERVAL_MS } from './events.constants';
import { EventsRepository, type SequencedEventRef } from './events.repository';
import { advanceCursor, pendingInRecordingOrder, sameCursor } from './sequencer-cursor';

/**
 * Learns about events as they are numbered. `onSequenced` runs inside the sequencer's
 * transaction (write your own rows there: they commit with the numbers); what it returns runs
 * after that commit (wake a queue, a stream). Must not throw after commit.
 */
export interface SequencedEventsListener {
  readonly name: string;
  onSequenced(events: readonly SequencedEventRef[]): Promise<(() => void) | void>;
}

/**
 * Gives committed feed events their `sequence`: the one place numbers are drawn, so the feed
 * has no blind spots. Changes commit their event rows with sequence NULL; the sequencer, in a
 * transaction of its own serialised across all processes by the lock on its cursor row, numbers
 * the committed unsequenced rows and commits. Every batch therefore commits after the previous
 * one with higher numbers, and a reader that has seen N has seen every event at or below N — a
 * transaction that was still open when N became visible gets a number above N.
 *
 * It finds those rows through a cursor over the recording transactions' ids (sequencer-cursor.ts),
 * so a batch costs the rows recorded since the last one, never the dead versions VACUUM has not
 * removed yet (docs/event-feed.md).
 *
 * Woken after every commit that recorded feed events, and by a short sweep (the safety net for a
 * process that died between its commit and the wake).
 */
@Injectable()
export class EventSequencer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventSequencer.name);
  private readonly warnings = new ThrottledWarning(this.logger);
  private readonly listeners: SequencedEventsListener[] = [];
  private sweepTimer?: NodeJS.Timeout;
  private draining: Promise<void> | null = null;
  private wakeRequested = false;
  private closed = false;

  constructor(
    private readonly events: EventsRepository,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly cls: ClsService,
  ) {}

  register(listener: SequencedEventsListener): void {
    if (!this.listeners.some((l) => l.name === listener.name)) this.listeners.push(listener);
  }

  onApplicationBootstrap(): void {
    this.sweepTimer = setInterval(() => this.wake(), SEQUENCER_SWEEP_INTERVAL_MS);
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    await this.draining;
  }

  /** Runs the sequencer soon; wakes that arrive while it runs make it go round once more. */
  wake(): void {
    if (this.closed) return;
    this.wakeRequested = true;
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.wakeRequested && !this.closed) {
      this.wakeRequested = false;
      try {
        while (!this.closed && (await this.runBatch()).more);
      } catch (error) {
        this.warnings.warn(
          'event sequencer failed; unsequenced events wait for the next sweep',
          error,
        );
      }
    }
  }

  /** Numbers one batch of committed events in one transaction; returns how many. */
  async sequenceBatch(): Promise<number> {
    return (await this.runBatch()).numbered;
  }

  private async runBatch(): Promise<{ numbered: number; more: boolean }> {
    // A context of its own: a wake from a request's afterCommit must not reuse its transaction.
    const { numbered, more, afterCommit } = await this.cls.run({ ifNested: 'override' }, () =>
      this.txHost.withTransaction(async () => {
        const cursor = await this.events.lockCursor();
        const window = await this.events.sequencingWindow(cursor, SEQUENCER_BATCH_SIZE);
        const next = advanceCursor(window, SEQUENCER_BATCH_SIZE);
        const ids = pendingInRecordingOrder(window);
        const numbered = ids.length ? await this.events.assignSequences(ids) : [];
        if (!sameCursor(cursor, next.cursor)) await this.events.saveCursor(next.cursor);
        const afterCommit: (() => void)[] = [];
        if (numbered.length === 0) return { numbered, more: next.more, afterCommit };
        for (const listener of this.listeners) {
          const then = await listener.onSequenced(numbered);
          if (then) afterCommit.push(then);
        }
        return { numbered, more: next.more, afterCommit };
      }),
    );
    for (const then of afterCommit) {
      try {
        then();
      } catch (error) {
        this.warnings.warn('an after-sequencing hook failed', error);
      }
    }
    return { numbered: numbered.length, more };
  }
}
