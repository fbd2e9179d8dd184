/** Rows of its window the sequencer reads (and numbers, when pending) per transaction. */
export const SEQUENCER_BATCH_SIZE = 500;

/**
 * The sequencer is woken right after a change that recorded feed events commits; this sweep is
 * the safety net (a crash between commit and wake, rows committed by a process that died).
 */
export const SEQUENCER_SWEEP_INTERVAL_MS = 1_000;

/** How often open SSE streams look for events sequenced by another process. */
export const STREAM_POLL_INTERVAL_MS = 1_000;

/** A comment line keeps idle SSE connections (and proxies between) from timing out. */
export const STREAM_KEEP_ALIVE_MS = 15_000;

/** The reconnection delay SSE clients are told to use. */
export const STREAM_RETRY_MS = 3_000;

/** Events one stream reads from the table per query. */
export const STREAM_BATCH_SIZE = 200;

export const FEED_DEFAULT_LIMIT = 100;
export const FEED_MAX_LIMIT = 1_000;
