/**
 * Polls `probe` until it returns something other than undefined, null or false, and returns
 * that; fails with `what` after `timeoutMs`. For effects that happen after a response, such as
 * emails delivered by a queue worker.
 */
export async function eventually<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${options.what ?? 'a condition'}`);
    }
    await sleep(options.intervalMs ?? 50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until a Bull queue has nothing waiting, active or delayed: the way to prove that a job
 * did *not* do something (drain, then assert) without sleeping.
 */
export async function drainQueue(
  queue: { getJobCounts(): Promise<{ waiting: number; active: number; delayed: number }> },
  timeoutMs = 15_000,
): Promise<void> {
  await eventually(
    async () => {
      const counts = await queue.getJobCounts();
      return counts.waiting + counts.active + counts.delayed === 0;
    },
    { timeoutMs, what: 'the queue to drain' },
  );
}

/** A promise with its resolve function, to hold a receiver's reply until a test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
