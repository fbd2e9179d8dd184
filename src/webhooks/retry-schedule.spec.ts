import fc from 'fast-check';
import { afterFailure, retryUntil } from './retry-schedule';

const DAY = 86_400_000;
const policy = { baseMs: 30_000, windowMs: DAY };

/** Every attempt time of a target that always fails, under `policy`. */
function attemptTimes(p: { baseMs: number; windowMs: number }): number[] {
  const start = new Date(0);
  const until = retryUntil(start, p);
  const times = [0];
  for (let attempts = 1; ; attempts++) {
    const now = new Date(times[times.length - 1]);
    const next = afterFailure(attempts, now, until, p);
    if (next.status === 'failed') return times;
    times.push(next.nextAttemptAt.getTime());
  }
}

describe('webhook retry schedule', () => {
  it('doubles the delay from the base: 30 s, 1 min, 2 min, 4 min …', () => {
    const times = attemptTimes(policy);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(gaps.slice(0, 4)).toEqual([30_000, 60_000, 120_000, 240_000]);
  });

  it('retries for 24 h: the last attempt is at the end of the window, then the delivery fails', () => {
    const times = attemptTimes(policy);
    expect(times[times.length - 1]).toBe(DAY);
    expect(times.length).toBe(13);
  });

  it('fails at once when the window is over', () => {
    expect(afterFailure(3, new Date(DAY), new Date(DAY), policy)).toEqual({ status: 'failed' });
  });

  it('always moves forward, never past the window, and ends (any base and window)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 3_600_000 }),
        fc.integer({ min: 100, max: 7 * DAY }),
        (baseMs, windowMs) => {
          const times = attemptTimes({ baseMs, windowMs });
          for (let i = 1; i < times.length; i++) {
            expect(times[i]).toBeGreaterThan(times[i - 1]);
            expect(times[i]).toBeLessThanOrEqual(windowMs);
          }
          expect(times[times.length - 1]).toBe(windowMs);
        },
      ),
    );
  });
});
