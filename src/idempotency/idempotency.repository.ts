import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { IDEMPOTENCY_PURGE_BATCH_SIZE } from './idempotency.constants';

export interface StoredResponse {
  route: string;
  requestHash: string;
  responseStatus: number | null;
  responseBody: unknown;
  createdAt: Date;
}

interface Row {
  route: string;
  request_hash: string;
  response_status: number | null;
  response_body: unknown;
  created_at: Date;
}

@Injectable()
export class IdempotencyRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /**
   * Claims (caller, key) for this transaction. When another transaction holds an uncommitted
   * claim, PostgreSQL makes this wait for it to finish: then we either get the claim (it rolled
   * back) or see its stored response (it committed). Returns true when the claim is ours.
   */
  async claim(caller: string, key: string, route: string, requestHash: string): Promise<boolean> {
    const rows: unknown[] = await this.txHost.tx.query(
      `INSERT INTO idempotency_key (caller, key, route, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (caller, key) DO NOTHING RETURNING key`,
      [caller, key, route, requestHash],
    );
    return rows.length === 1;
  }

  async find(caller: string, key: string): Promise<StoredResponse | null> {
    const rows: Row[] = await this.txHost.tx.query(
      `SELECT route, request_hash, response_status, response_body, created_at FROM idempotency_key WHERE caller = $1 AND key = $2`,
      [caller, key],
    );
    const row = rows[0];
    return row
      ? {
          route: row.route,
          requestHash: row.request_hash,
          responseStatus: row.response_status,
          responseBody: row.response_body,
          createdAt: row.created_at,
        }
      : null;
  }

  /** Replaces an expired entry with a fresh claim. */
  async reclaimExpired(
    caller: string,
    key: string,
    route: string,
    requestHash: string,
    olderThan: Date,
  ): Promise<boolean> {
    const rows: unknown[] = await this.txHost.tx.query(
      `UPDATE idempotency_key SET route = $3, request_hash = $4, response_status = NULL, response_body = NULL, created_at = now()
       WHERE caller = $1 AND key = $2 AND created_at < $5 RETURNING key`,
      [caller, key, route, requestHash, olderThan],
    );
    return rows.length === 1;
  }

  /** `sealed` is the response as IdempotencySealer sealed it (a string in the jsonb column). */
  async complete(caller: string, key: string, status: number, sealed: string): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE idempotency_key SET response_status = $3, response_body = $4 WHERE caller = $1 AND key = $2`,
      [caller, key, status, JSON.stringify(sealed)],
    );
  }

  /** Deletes records created before `cutoff`, in batches (index on created_at); returns how many. */
  async deleteCreatedBefore(cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const rows: unknown[] = await this.txHost.tx.query(
        `DELETE FROM idempotency_key WHERE ctid IN (
           SELECT ctid FROM idempotency_key WHERE created_at < $1 LIMIT $2
         ) RETURNING 1`,
        [cutoff, IDEMPOTENCY_PURGE_BATCH_SIZE],
      );
      total += rows.length;
      if (rows.length < IDEMPOTENCY_PURGE_BATCH_SIZE) return total;
    }
  }
}
