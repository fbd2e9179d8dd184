import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { offsetOf } from '@helpdesk/common';
import { WebhookDelivery, type DeliveryStatus } from './webhook-delivery.entity';

/** A webhook's next delivery, as the sweep sees it. */
export interface DeliveryHead {
  id: string;
  webhookId: string;
  nextAttemptAt: Date;
}

export interface AttemptOutcome {
  responseStatus: number | null;
  error: string | null;
  at: Date;
}

/** A webhook's head (see headOf); exported so a test can EXPLAIN the statement itself. */
export const DELIVERY_HEAD_SQL = `SELECT id FROM webhook_delivery
 WHERE webhook_id = $1 AND status = 'pending'
   AND sequence > (SELECT delivered_through FROM webhook WHERE id = $1)
 ORDER BY sequence
 LIMIT 1`;

@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo() {
    return this.txHost.tx.getRepository(WebhookDelivery);
  }

  /** Inserts planned deliveries; one that exists already (same webhook and event) is skipped. */
  async insertMany(deliveries: WebhookDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.repo.createQueryBuilder().insert().values(deliveries).orIgnore().execute();
  }

  /**
   * The pending delivery with the lowest sequence: the only one that may be attempted. Looked
   * for above the webhook's `delivered_through` (nothing at or below it is pending), so the scan
   * starts after the finished deliveries whose dead index entries VACUUM has not removed yet.
   */
  async headOf(webhookId: string): Promise<WebhookDelivery | null> {
    const [row] = await this.txHost.tx.query<{ id: string }[]>(DELIVERY_HEAD_SQL, [webhookId]);
    return row ? this.repo.findOne({ where: { id: row.id } }) : null;
  }

  findForWebhook(webhookId: string, id: string): Promise<WebhookDelivery | null> {
    return this.repo.findOne({ where: { id, webhookId } });
  }

  page(
    webhookId: string,
    status: DeliveryStatus | undefined,
    page: { page: number; limit: number },
  ): Promise<[WebhookDelivery[], number]> {
    return this.repo.findAndCount({
      where: { webhookId, ...(status ? { status } : {}) },
      order: { sequence: 'DESC', id: 'DESC' },
      skip: offsetOf(page),
      take: page.limit,
    });
  }

  async recordDelivered(id: string, outcome: AttemptOutcome): Promise<void> {
    await this.finishAttempt(
      id,
      `status = 'delivered', attempts = attempts + 1, response_status = $2, last_error = NULL,
       last_attempt_at = $3, delivered_at = $3, next_attempt_at = NULL`,
      [outcome.responseStatus, outcome.at],
    );
  }

  /** A failed attempt: pending again at `nextAttemptAt`, or `failed` when that is null. */
  async recordFailed(
    id: string,
    outcome: AttemptOutcome,
    retryUntil: Date,
    nextAttemptAt: Date | null,
  ): Promise<void> {
    await this.finishAttempt(
      id,
      `status = $2::webhook_delivery_status, attempts = attempts + 1, response_status = $3,
       last_error = $4, last_attempt_at = $5, retry_until = $6, next_attempt_at = $7`,
      [
        nextAttemptAt ? 'pending' : 'failed',
        outcome.responseStatus,
        outcome.error,
        outcome.at,
        retryUntil,
        nextAttemptAt,
      ],
    );
  }

  /**
   * Records an attempt on a pending delivery and, when that ends it (delivered or failed) and no
   * lower pending delivery is left, moves the webhook's `delivered_through` up to it — in one
   * statement, so the two never disagree. `seen` is the webhook row as this statement's snapshot
   * has it: if a concurrent redelivery lowered `delivered_through` meanwhile, the re-checked row
   * differs and the cursor stays where the redelivery put it (the NOT EXISTS could not see it).
   */
  private async finishAttempt(id: string, set: string, params: unknown[]): Promise<void> {
    await this.txHost.tx.query(
      `WITH attempted AS (
         UPDATE webhook_delivery SET ${set}
          WHERE id = $1 AND status = 'pending'
          RETURNING webhook_id, sequence, status)
       UPDATE webhook w SET delivered_through = a.sequence
         FROM attempted a
         JOIN webhook seen ON seen.id = a.webhook_id
        WHERE w.id = a.webhook_id AND a.status <> 'pending' AND w.delivered_through < a.sequence
          -- A redelivery that lowered it after this statement's snapshot wins (see requeue).
          AND w.delivered_through = seen.delivered_through
          AND NOT EXISTS (
            SELECT 1 FROM webhook_delivery p
             WHERE p.webhook_id = a.webhook_id AND p.status = 'pending'
               AND p.sequence > w.delivered_through AND p.sequence < a.sequence)`,
      [id, ...params],
    );
  }

  /** Back to pending, due now, with a fresh retry window (a redelivery). */
  async requeue(id: string): Promise<WebhookDelivery> {
    // Pending again below the webhook's delivered_through: move it back so the head is found.
    await this.txHost.tx.query(
      `WITH requeued AS (
         UPDATE webhook_delivery
            SET status = 'pending', attempts = 0, next_attempt_at = now(), retry_until = NULL,
                delivered_at = NULL
          WHERE id = $1
          RETURNING webhook_id, sequence)
       UPDATE webhook w SET delivered_through = r.sequence - 1
         FROM requeued r
        WHERE w.id = r.webhook_id AND w.delivered_through >= r.sequence`,
      [id],
    );
    return (await this.repo.findOne({ where: { id } }))!;
  }

  /** Pending deliveries, counted above each webhook's delivered_through. */
  async countPending(): Promise<number> {
    const [{ count }] = await this.txHost.tx.query<{ count: string }[]>(
      `SELECT coalesce(sum(p.count), 0) AS count
         FROM webhook w
         CROSS JOIN LATERAL (
           SELECT count(*) AS count FROM webhook_delivery d
            WHERE d.webhook_id = w.id AND d.sequence > w.delivered_through
              AND d.status = 'pending') p`,
    );
    return Number(count);
  }

  /**
   * The head of every active webhook that no worker holds a live lease on: what the sweep
   * (re)enqueues when a job was lost or a worker died.
   */
  async unattendedHeads(): Promise<DeliveryHead[]> {
    const rows: { id: string; webhook_id: string; next_attempt_at: Date }[] =
      await this.txHost.tx.query(
        `SELECT h.id, w.id AS webhook_id, h.next_attempt_at
           FROM webhook w
           CROSS JOIN LATERAL (
             SELECT d.id, d.next_attempt_at FROM webhook_delivery d
              WHERE d.webhook_id = w.id AND d.sequence > w.delivered_through
                AND d.status = 'pending'
              ORDER BY d.sequence
              LIMIT 1) h
          WHERE w.active
            AND (w.delivery_lease_until IS NULL OR w.delivery_lease_until < now())`,
      );
    return rows.map((row) => ({
      id: row.id,
      webhookId: row.webhook_id,
      nextAttemptAt: row.next_attempt_at,
    }));
  }
}
