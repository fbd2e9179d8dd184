/**
 * The Bull queue that issues magic links. A request only enqueues the address; the worker looks
 * it up, and only an existing, active customer gets a token and an email — so the request does
 * the same work, and takes the same time, whether or not the address exists.
 */
export const MAGIC_LINKS_QUEUE = 'magic-links';
export const ISSUE_MAGIC_LINK_JOB = 'issue';

export interface IssueMagicLinkJob {
  email: string;
}

/** How long a request waits for Redis before answering 503. */
export const MAGIC_LINK_ENQUEUE_TIMEOUT_MS = 3_000;
/** Attempts of one job (a database blip on the worker is retried). */
export const MAGIC_LINK_JOB_ATTEMPTS = 3;
