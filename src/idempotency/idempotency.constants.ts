/** How long a key replays its first response (API.md section 1). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** The Bull queue of the purge and its one repeatable job (a cron only enqueues). */
export const IDEMPOTENCY_QUEUE = 'idempotency';
export const IDEMPOTENCY_PURGE_JOB = 'purge';
export const IDEMPOTENCY_PURGE_JOB_ID = 'idempotency-purge';
/** Rows deleted per statement, so a purge after a long outage never holds a long lock. */
export const IDEMPOTENCY_PURGE_BATCH_SIZE = 1000;
