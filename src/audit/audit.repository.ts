import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { QueryDeepPartialEntity } from 'typeorm';
import { offsetOf } from '@helpdesk/common';
import { advisoryLockIdOf, chainKeyOf } from './audit-chain';
import { AuditLogEntry } from './audit-log-entry.entity';

export interface AuditLogFilter {
  actorId?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  from?: Date;
  to?: Date;
  page: number;
  limit: number;
}

/** The last entry of a chain: what the next entry links to. */
export interface ChainHead {
  chainSeq: number;
  hash: string;
}

/** A position in the verify walk, which goes chain by chain in chain order. */
export interface ChainCursor {
  chainKey: string;
  chainSeq: number;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo() {
    return this.txHost.tx.getRepository(AuditLogEntry);
  }

  /**
   * Locks the chains of `lockKeys` (by default all of `keys`; chains already serialized by their
   * resource's row lock need no other) until the transaction ends, then reads the heads of
   * `keys`. Locks are taken in one
   * global order (by lock id), so two units of work touching the same chains never deadlock on
   * them; a unit of work waiting here sees the head its predecessor committed (READ COMMITTED
   * takes a fresh snapshot per statement).
   */
  async lockChainHeads(
    keys: readonly string[],
    lockKeys: readonly string[] = keys,
  ): Promise<Map<string, ChainHead>> {
    const chainKeys = [...new Set(keys)];
    if (chainKeys.length === 0) return new Map();
    const lockIds = [...new Set(lockKeys)]
      .map(advisoryLockIdOf)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const lockId of lockIds) {
      await this.txHost.tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockId.toString()]);
    }
    const rows = await this.txHost.tx.query<
      Array<{ chain_key: string; chain_seq: string; hash: string }>
    >(
      `SELECT k.chain_key, head.chain_seq, head.hash
       FROM unnest($1::text[]) AS k (chain_key)
       CROSS JOIN LATERAL (
         SELECT a.chain_seq, a.hash FROM audit_log a
         WHERE a.chain_key = k.chain_key
         ORDER BY a.chain_seq DESC
         LIMIT 1
       ) head`,
      [chainKeys],
    );
    return new Map(
      rows.map((row) => [row.chain_key, { chainSeq: Number(row.chain_seq), hash: row.hash }]),
    );
  }

  async insert(entries: AuditLogEntry[]): Promise<void> {
    // Plain INSERT (save() would SELECT each id first); jsonb columns defeat the deep-partial type.
    await this.repo.insert(entries as QueryDeepPartialEntity<AuditLogEntry>[]);
  }

  /** Newest first, one indexed query per filter combination. */
  list(filter: AuditLogFilter): Promise<[AuditLogEntry[], number]> {
    const query = this.repo.createQueryBuilder('a');
    if (filter.actorId !== undefined)
      query.andWhere('a.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.action !== undefined)
      query.andWhere('a.action = :action', { action: filter.action });
    if (filter.resourceType !== undefined)
      query.andWhere('a.resource_type = :resourceType', { resourceType: filter.resourceType });
    if (filter.resourceId !== undefined)
      query.andWhere('a.resource_id = :resourceId', { resourceId: filter.resourceId });
    if (filter.from !== undefined) query.andWhere('a.occurred_at >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('a.occurred_at <= :to', { to: filter.to });
    return query
      .orderBy('a.occurred_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .offset(offsetOf(filter))
      .limit(filter.limit)
      .getManyAndCount();
  }

  /** A resource's chain, in the order it was written. */
  findChain(resourceType: string, resourceId: string | null): Promise<AuditLogEntry[]> {
    return this.repo
      .createQueryBuilder('a')
      .where('a.chain_key = :chainKey', { chainKey: chainKeyOf(resourceType, resourceId) })
      .orderBy('a.chain_seq', 'ASC')
      .getMany();
  }

  /** The next `limit` entries after `cursor` in (chain_key, chain_seq) order: keyset, no OFFSET. */
  findChainBatch(after: ChainCursor | null, limit: number): Promise<AuditLogEntry[]> {
    const query = this.repo.createQueryBuilder('a');
    if (after) {
      query.where('(a.chain_key, a.chain_seq) > (:chainKey, :chainSeq)', {
        chainKey: after.chainKey,
        chainSeq: after.chainSeq,
      });
    }
    return query
      .orderBy('a.chain_key', 'ASC')
      .addOrderBy('a.chain_seq', 'ASC')
      .limit(limit)
      .getMany();
  }
}
