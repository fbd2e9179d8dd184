/** The Bull queue that delivers emails, and its one job. Jobs carry only the notification id. */
export const NOTIFICATIONS_QUEUE = 'notifications';
export const DELIVER_NOTIFICATION_JOB = 'deliver';

export interface DeliverNotificationJob {
  notificationId: string;
}

/** Emails one worker process sends at once. */
export const DELIVERY_CONCURRENCY = 5;
/** Rows the relay moves onto the queue per statement. */
export const RELAY_BATCH_SIZE = 100;
/** How long the relay waits for Redis before leaving rows for the next sweep. */
export const ENQUEUE_TIMEOUT_MS = 3_000;
/**
 * A pending row queued (or due for a retry) this long ago is presumed lost from Redis (flushed,
 * restarted without persistence) and enqueued again. Harmless when it is not lost: the job id is
 * the notification id, so Bull ignores the duplicate while the job exists.
 */
export const REQUEUE_STALE_AFTER_MS = 5 * 60_000;
