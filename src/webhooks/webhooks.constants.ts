/** The Bull queue that delivers webhooks, and its one job. Jobs carry only the webhook id. */
export const WEBHOOKS_QUEUE = 'webhooks';
export const DRAIN_WEBHOOK_JOB = 'drain';

/** "Deliver what is due for this webhook, in sequence order." */
export interface DrainWebhookJob {
  webhookId: string;
}

/** Webhooks one worker process delivers to at once (each one's deliveries stay in order). */
export const DELIVERY_CONCURRENCY = 10;
/** Deliveries one job makes before it hands the webhook to a fresh job (fairness). */
export const DELIVERIES_PER_JOB = 50;
/** A lease outlives the attempt it covers by this much; a crashed worker's lease then expires. */
export const LEASE_MARGIN_MS = 20_000;
/** How often workers look for due deliveries no job is on (lost jobs, crashed workers). */
export const DELIVERY_SWEEP_INTERVAL_MS = 5_000;
/** A retry whose time is this close counts as due (Bull may fire delayed jobs a little early). */
export const DUE_TOLERANCE_MS = 50;
/** How long enqueueing may wait for Redis before the sweep is left to do it. */
export const ENQUEUE_TIMEOUT_MS = 3_000;

/** Response bodies are read up to this many bytes, then cut. */
export const RESPONSE_BODY_LIMIT_BYTES = 64 * 1024;
/** Characters of a response body or error kept in `last_error`. */
export const LAST_ERROR_MAX_CHARS = 1_000;

export const SECRET_PREFIX = 'whsec_';
export const SECRET_BYTES = 32;
export const USER_AGENT = 'Helpdesk-Webhooks/1';
