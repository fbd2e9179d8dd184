import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { BusinessHours } from './business-hours.entity';
import { SlaPolicy } from './sla-policy.entity';
import type { SlaPriority } from './sla-rules';

@Injectable()
export class SlaRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get policies() {
    return this.txHost.tx.getRepository(SlaPolicy);
  }

  private get businessHours() {
    return this.txHost.tx.getRepository(BusinessHours);
  }

  /**
   * Policies and calendar for the in-memory cache, read outside any caller's transaction: the
   * cache is shared by concurrent requests and must not depend on one of them committing.
   */
  loadSettings(): Promise<{ policies: SlaPolicy[]; businessHours: BusinessHours | null }> {
    return this.txHost.withoutTransaction(async () => ({
      policies: await this.findAllPolicies(),
      businessHours: await this.findBusinessHours(),
    }));
  }

  findAllPolicies(): Promise<SlaPolicy[]> {
    return this.policies.find();
  }

  /** Locks the row so two admins' edits apply one after the other, each with a true diff. */
  findPolicyForUpdate(priority: SlaPriority): Promise<SlaPolicy | null> {
    return this.policies.findOne({ where: { priority }, lock: { mode: 'pessimistic_write' } });
  }

  savePolicy(policy: SlaPolicy): Promise<SlaPolicy> {
    return this.policies.save(policy);
  }

  findBusinessHours(): Promise<BusinessHours | null> {
    return this.businessHours.findOne({ where: { id: BusinessHours.ID } });
  }

  findBusinessHoursForUpdate(): Promise<BusinessHours | null> {
    return this.businessHours.findOne({
      where: { id: BusinessHours.ID },
      lock: { mode: 'pessimistic_write' },
    });
  }

  saveBusinessHours(row: BusinessHours): Promise<BusinessHours> {
    return this.businessHours.save(row);
  }
}
