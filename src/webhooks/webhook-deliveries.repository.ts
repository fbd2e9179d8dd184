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

  /** The pending delivery with the lowest sequence: the only one that may be attempted. */
  headOf(webhookId: string): Promise<WebhookDelivery | null> {
    return this.repo.findOne({
      where: { webhookId, status: 'pending' },
      order: { sequence: 'ASC' },
    });
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
    await this.repo
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({
        status: 'delivered',
        attempts: () => 'attempts + 1',
        responseStatus: outcome.responseStatus,
        lastError: null,
        lastAttemptAt: outcome.at,
        deliveredAt: outcome.at,
        nextAttemptAt: null,
      })
      .where("id = :id AND status = 'pending'", { id })
      .execute();
  }

  /** A failed attempt: pending again at `nextAttemptAt`, or `failed` when that is null. */
  async recordFailed(
    id: string,
    outcome: AttemptOutcome,
    retryUntil: Date,
    nextAttemptAt: Date | null,
  ): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({
        status: nextAttemptAt ? 'pending' : 'failed',
        attempts: () => 'attempts + 1',
        responseStatus: outcome.responseStatus,
        lastError: outcome.error,
        lastAttemptAt: outcome.at,
        retryUntil,
        nextAttemptAt,
      })
      .where("id = :id AND status = 'pending'", { id })
      .execute();
  }

  /** Back to pending, due now, with a fresh retry window (a redelivery). */
  async requeue(id: string): Promise<WebhookDelivery> {
    await this.repo.update(
      { id },
      {
        status: 'pending',
        attempts: 0,
        nextAttemptAt: () => 'now()',
        retryUntil: null,
        deliveredAt: null,
      },
    );
    return (await this.repo.findOne({ where: { id } }))!;
  }

  countPending(): Promise<number> {
    return this.repo.count({ where: { status: 'pending' } });
  }

  /**
   * The head of every active webhook that no worker holds a live lease on: what the sweep
   * (re)enqueues when a job was lost or a worker died.
   */
  async unattendedHeads(): Promise<DeliveryHead[]> {
    const rows: { id: string; webhook_id: string; next_attempt_at: Date }[] =
      await this.txHost.tx.query(
        `SELECT DISTINCT ON (d.webhook_id) d.id, d.webhook_id, d.next_attempt_at
           FROM webhook_delivery d
           JOIN webhook w ON w.id = d.webhook_id
          WHERE d.status = 'pending' AND w.active
            AND (w.delivery_lease_until IS NULL OR w.delivery_lease_until < now())
          ORDER BY d.webhook_id, d.sequence`,
      );
    return rows.map((row) => ({
      id: row.id,
      webhookId: row.webhook_id,
      nextAttemptAt: row.next_attempt_at,
    }));
  }
}
