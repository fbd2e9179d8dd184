import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DeferredInserts, offsetOf } from '@helpdesk/common';
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
  offset?: number;
}

/** The last entry of a chain: what the next entry links to. */
export interface ChainHead {
  chainSeq: number;
  hash: string;
}

/** A chain that ends before its anchored position. */
export interface TruncatedChain {
  chainKey: string;
  anchoredSeq: number;
  /** The last entry left, or null when the whole chain is gone. */
  lastId: string | null;
  lastSeq: number;
}

/** A position in the verify walk, which goes chain by chain in chain order. */
export interface ChainCursor {
  chainKey: string;
  chainSeq: number;
}

@Injectable()
export class AuditRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly deferredInserts: DeferredInserts,
  ) {}

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
    // Plain INSERT (save() would SELECT each id first), sent with the unit of work's other
    // consumer inserts (DeferredInserts).
    await this.deferredInserts.insert(this.txHost.tx, AuditLogEntry, entries);
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

  /**
   * Chains whose last stored entry is below their anchor (audit_chain_anchor): entries were
   * removed from the end. At most `limit` of them, with the last surviving entry of each.
   */
  async findTruncatedChains(limit: number): Promise<TruncatedChain[]> {
    const rows = await this.txHost.tx.query<
      Array<{
        chain_key: string;
        anchored_seq: string;
        last_id: string | null;
        last_seq: string | null;
      }>
    >(
      `SELECT an.chain_key, an.chain_seq AS anchored_seq, last.id AS last_id, last.chain_seq AS last_seq
       FROM audit_chain_anchor an
       LEFT JOIN LATERAL (
         SELECT a.id, a.chain_seq FROM audit_log a
         WHERE a.chain_key = an.chain_key
         ORDER BY a.chain_seq DESC
         LIMIT 1
       ) last ON true
       WHERE last.chain_seq IS NULL OR last.chain_seq < an.chain_seq
       ORDER BY an.chain_key
       LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      chainKey: row.chain_key,
      anchoredSeq: Number(row.anchored_seq),
      lastId: row.last_id,
      lastSeq: row.last_seq === null ? 0 : Number(row.last_seq),
    }));
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
