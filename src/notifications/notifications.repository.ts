import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DeferredInserts, offsetOf } from '@helpdesk/common';
import { Notification, type NotificationStatus } from './notification.entity';

export interface NotificationFilter {
  status?: NotificationStatus;
  page: number;
  limit: number;
  offset?: number;
}

@Injectable()
export class NotificationsRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly deferredInserts: DeferredInserts,
  ) {}

  private get repo() {
    return this.txHost.tx.getRepository(Notification);
  }

  async insert(notifications: Notification[]): Promise<void> {
    // Sent with the unit of work's other consumer inserts (DeferredInserts) when planned by one.
    await this.deferredInserts.insert(this.txHost.tx, Notification, notifications);
  }

  findById(id: string): Promise<Notification | null> {
    return this.repo.findOne({ where: { id } });
  }

  findByIdForUpdate(id: string): Promise<Notification | null> {
    return this.repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Locks the row for the length of a delivery; null when it is missing or another worker holds
   * it (that worker is delivering it, so this one must not).
   */
  lockForDelivery(id: string): Promise<Notification | null> {
    return this.repo.findOne({
      where: { id },
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
    });
  }

  list(filter: NotificationFilter): Promise<[Notification[], number]> {
    return this.repo.findAndCount({
      where: filter.status ? { status: filter.status } : {},
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: offsetOf(filter),
      take: filter.limit,
    });
  }

  /**
   * Marks up to `limit` pending rows as queued and returns their ids, oldest first: rows never
   * queued, and rows whose last queueing (or scheduled retry) is older than `staleBefore`.
   * SKIP LOCKED lets several relays run at once without claiming the same rows.
   */
  async claimForRelay(staleBefore: Date, limit: number): Promise<string[]> {
    const [rows] = await this.txHost.tx.query<[Array<{ id: string; created_at: Date }>, number]>(
      `WITH claimable AS (
         SELECT id FROM notification
          WHERE status = 'pending'
            AND (queued_at IS NULL OR COALESCE(next_attempt_at, queued_at) < $1)
          ORDER BY created_at
          LIMIT $2
          FOR UPDATE SKIP LOCKED)
       UPDATE notification n SET queued_at = now()
         FROM claimable c WHERE n.id = c.id
       RETURNING n.id, n.created_at`,
      [staleBefore, limit],
    );
    return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime()).map((r) => r.id);
  }

  /** Pending rows already handed to the queue (their job should exist in Redis), oldest first. */
  async queuedPending(limit: number): Promise<string[]> {
    const rows = await this.txHost.tx.query<Array<{ id: string }>>(
      `SELECT id FROM notification
        WHERE status = 'pending' AND queued_at IS NOT NULL
        ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Gives claimed rows back to the next sweep (the queue could not take them). */
  async releaseClaims(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.repo
      .createQueryBuilder()
      .update(Notification)
      .set({ queuedAt: null })
      .where('id IN (:...ids) AND status = :pending', { ids, pending: 'pending' })
      .execute();
  }

  async markSent(id: string, options: { redactBodies: boolean }): Promise<void> {
    await this.repo.update(
      { id },
      {
        status: 'sent',
        sentAt: () => 'now()',
        attempts: () => 'attempts + 1',
        nextAttemptAt: null,
        ...(options.redactBodies
          ? { textBody: REDACTED_BODY, htmlBody: `<p>${REDACTED_BODY}</p>` }
          : {}),
      },
    );
  }

  async recordFailedAttempt(
    id: string,
    outcome: {
      attempts: number;
      error: string;
      status: 'pending' | 'failed';
      nextAttemptAt: Date | null;
    },
  ): Promise<void> {
    await this.repo.update(
      { id },
      {
        attempts: outcome.attempts,
        lastError: outcome.error,
        status: outcome.status,
        nextAttemptAt: outcome.nextAttemptAt,
      },
    );
  }

  /** Back to the start: pending, no attempts, to be enqueued by the relay. */
  async resetForRetry(id: string): Promise<void> {
    await this.repo.update(
      { id },
      { status: 'pending', attempts: 0, queuedAt: null, nextAttemptAt: null },
    );
  }

  /** Counts of the states worth alerting on (sent rows only grow, and are not counted). */
  async countOpen(): Promise<Record<'pending' | 'failed', number>> {
    const rows = await this.txHost.tx.query<Array<{ status: 'pending' | 'failed'; count: number }>>(
      `SELECT status, count(*)::int AS count FROM notification
        WHERE status IN ('pending', 'failed') GROUP BY status`,
    );
    const counts = { pending: 0, failed: 0 };
    for (const row of rows) counts[row.status] = row.count;
    return counts;
  }
}

/** What a delivered credential-bearing email's bodies become. */
export const REDACTED_BODY = '[removed after delivery: this email carried a private link]';
