import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Webhook } from './webhook.entity';

export type WebhookChanges = Partial<Pick<Webhook, 'url' | 'events' | 'description' | 'active'>>;

@Injectable()
export class WebhooksRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo() {
    return this.txHost.tx.getRepository(Webhook);
  }

  async insert(webhook: Webhook): Promise<Webhook> {
    await this.repo.insert(webhook);
    return (await this.findById(webhook.id))!;
  }

  findById(id: string): Promise<Webhook | null> {
    return this.repo.findOne({ where: { id } });
  }

  list(): Promise<Webhook[]> {
    return this.repo.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Only the given columns: a full save would overwrite a worker's delivery lease. */
  async update(id: string, changes: WebhookChanges): Promise<Webhook> {
    await this.repo.update({ id }, { ...changes, updatedAt: () => 'now()' });
    return (await this.findById(id))!;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.repo.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** Webhooks that receive new events: the sequencer plans their deliveries. */
  listActive(): Promise<Pick<Webhook, 'id' | 'events'>[]> {
    return this.repo.find({ select: { id: true, events: true }, where: { active: true } });
  }

  /**
   * Takes the webhook's delivery lease for `ms` when it is active and nobody holds a live one;
   * returns the webhook (with what is needed to deliver), or null.
   */
  async claimLease(id: string, leaseId: string, ms: number): Promise<Webhook | null> {
    const [rows] = await this.txHost.tx.query<[{ id: string }[], number]>(
      `UPDATE webhook
          SET delivery_lease_id = $2, delivery_lease_until = now() + $3 * interval '1 millisecond'
        WHERE id = $1 AND active
          AND (delivery_lease_until IS NULL OR delivery_lease_until < now())
        RETURNING id`,
      [id, leaseId, ms],
    );
    return rows.length ? this.findById(id) : null;
  }

  /** Extends a lease this worker holds; false when it lost it (expired and taken, or deleted). */
  async renewLease(id: string, leaseId: string, ms: number): Promise<boolean> {
    const [, affected] = await this.txHost.tx.query<[unknown, number]>(
      `UPDATE webhook SET delivery_lease_until = now() + $3 * interval '1 millisecond'
        WHERE id = $1 AND delivery_lease_id = $2 AND active`,
      [id, leaseId, ms],
    );
    return affected > 0;
  }

  async releaseLease(id: string, leaseId: string): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE webhook SET delivery_lease_id = NULL, delivery_lease_until = NULL
        WHERE id = $1 AND delivery_lease_id = $2`,
      [id, leaseId],
    );
  }
}
