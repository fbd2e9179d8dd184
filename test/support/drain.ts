import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { NOTIFICATIONS_QUEUE } from 'src/notifications/notifications.constants';
import { WEBHOOKS_QUEUE } from 'src/webhooks/webhooks.constants';
import type { TestApp } from './test-app';
import { eventually } from './wait';

/**
 * Waits until the after-commit pipelines have nothing left to do right now: every feed event is
 * numbered, no email is pending, no webhook delivery is due, and neither queue has a job waiting
 * or running (retries scheduled for later do not count). Then whatever was going to happen has
 * happened, and a test can assert that something did *not* — instead of sleeping and hoping.
 */
export async function drained(t: TestApp, timeoutMs = 20_000): Promise<void> {
  const db = t.app.get(DataSource);
  const queues = [NOTIFICATIONS_QUEUE, WEBHOOKS_QUEUE].map((name) =>
    t.app.get<Queue>(getQueueToken(name)),
  );
  const idle = async (): Promise<boolean> => {
    const [work] = await db.query<Array<{ busy: boolean }>>(
      `SELECT EXISTS (SELECT 1 FROM event WHERE sequence IS NULL)
           OR EXISTS (SELECT 1 FROM notification WHERE status = 'pending'
                       AND (queued_at IS NULL OR next_attempt_at <= now()))
           OR EXISTS (SELECT 1 FROM webhook_delivery
                       WHERE status = 'pending' AND next_attempt_at <= now()) AS busy`,
    );
    if (work.busy) return false;
    for (const queue of queues) {
      const counts = await queue.getJobCounts();
      if (counts.waiting > 0 || counts.active > 0) return false;
    }
    return true;
  };
  // Twice in a row: a job finishing can enqueue the next (a drain job finding more work).
  await eventually(async () => (await idle()) && (await idle()), {
    what: 'the outbox, feed and webhook queues to drain',
    timeoutMs,
  });
}
