import { Clock } from '@helpdesk/common';
import type { TestApp } from './test-app';

export interface ClockControl {
  /** The instant the app currently sees. */
  now(): Date;
  /** Stops the app's clock at `at`. */
  set(at: Date): void;
  /** Moves the stopped clock on by `ms`. */
  advance(ms: number): void;
  /** Gives the app the real time back. */
  restore(): void;
}

/**
 * Takes over the app's `Clock` (the one instance every service injects), stopped at `start`, so
 * a test can step past due times instead of sleeping. Timestamps the database fills in itself
 * (`created_at`) still come from the real clock.
 */
export function controlClock(t: TestApp, start: Date = new Date()): ClockControl {
  const clock = t.app.get(Clock);
  let current = start.getTime();
  clock.now = () => new Date(current);
  return {
    now: () => new Date(current),
    set: (at) => {
      current = at.getTime();
    },
    advance: (ms) => {
      current += ms;
    },
    restore: () => {
      // The instance property shadows the prototype's method; removing it restores real time.
      delete (clock as { now?: unknown }).now;
    },
  };
}
