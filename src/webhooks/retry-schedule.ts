/** What happens to a delivery after a failed attempt. */
export type AfterFailure = { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' };

export interface RetryPolicy {
  /** Delay before the first retry; each later one doubles (WEBHOOK_RETRY_BASE_MS). */
  baseMs: number;
  /** How long after its first attempt a delivery is retried (WEBHOOK_RETRY_WINDOW_MS, 24 h). */
  windowMs: number;
}

/** When the retry window of a delivery whose first attempt started at `firstAttemptAt` ends. */
export function retryUntil(firstAttemptAt: Date, policy: RetryPolicy): Date {
  return new Date(firstAttemptAt.getTime() + policy.windowMs);
}

/**
 * Exponential backoff inside the retry window: after the n-th failed attempt the next one waits
 * base × 2^(n-1); the last one is made when the window ends, and a failure then is final.
 */
export function afterFailure(
  attempts: number,
  now: Date,
  until: Date,
  policy: RetryPolicy,
): AfterFailure {
  if (now.getTime() >= until.getTime()) return { status: 'failed' };
  const delay = policy.baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40);
  const next = Math.min(now.getTime() + delay, until.getTime());
  return { status: 'pending', nextAttemptAt: new Date(next) };
}
