import { Injectable } from '@nestjs/common';
import { pageOf, ValidationFailedError, type Page } from '@helpdesk/common';
import { AuditKeyring, ChainVerifier, type ChainFault } from './audit-chain';
import type { AuditLogEntry } from './audit-log-entry.entity';
import { AuditRepository, type AuditLogFilter, type ChainCursor } from './audit.repository';

/** Entries read per round trip while verifying: memory stays flat however long the log is. */
const VERIFY_BATCH_SIZE = 1000;
/** Truncated chains named in one answer. */
const TRUNCATED_CHAINS_REPORTED = 100;

export type AuditVerification =
  | { valid: true; checked: number }
  | {
      valid: false;
      checked: number;
      /**
       * The earliest invalid entry (by occurred_at, then id) over all chains; for a truncated
       * tail alone, the last entry left in the first truncated chain (none if it is all gone).
       */
      firstInvalidId?: string;
      reason: ChainFault | 'truncated_tail';
      invalidCount: number;
      /** Chains whose last entries were removed (their anchor is ahead of them). */
      truncatedChains: string[];
    };

/** Reads the audit log: the admin list, a resource's history, and the integrity check. */
@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly keyring: AuditKeyring,
  ) {}

  async list(filter: AuditLogFilter): Promise<Page<AuditLogEntry>> {
    if (filter.from && filter.to && filter.from > filter.to) {
      throw ValidationFailedError.forField('to', 'to must not be before from');
    }
    const [items, total] = await this.audit.list(filter);
    return pageOf(items, total, filter);
  }

  /** Everything recorded about one resource, oldest first (the ticket timeline reads this). */
  entriesForResource(resourceType: string, resourceId: string): Promise<AuditLogEntry[]> {
    return this.audit.findChain(resourceType, resourceId);
  }

  /**
   * Walks every chain in batches and recomputes each entry's HMAC and link. Reports the earliest
   * bad entry, so an investigation starts where the tampering did.
   */
  async verify(): Promise<AuditVerification> {
    const verifier = new ChainVerifier(this.keyring);
    let checked = 0;
    let invalidCount = 0;
    let firstInvalid: { entry: AuditLogEntry; reason: ChainFault } | null = null;
    let cursor: ChainCursor | null = null;
    for (;;) {
      const batch = await this.audit.findChainBatch(cursor, VERIFY_BATCH_SIZE);
      for (const entry of batch) {
        checked += 1;
        const reason = verifier.check(entry);
        if (reason === null) continue;
        invalidCount += 1;
        if (!firstInvalid || isEarlier(entry, firstInvalid.entry)) firstInvalid = { entry, reason };
      }
      if (batch.length < VERIFY_BATCH_SIZE) break;
      const last = batch[batch.length - 1];
      cursor = { chainKey: last.chainKey, chainSeq: last.chainSeq };
    }
    // A removed tail leaves nothing to recompute: the anchors say how far each chain reached.
    const truncated = await this.audit.findTruncatedChains(TRUNCATED_CHAINS_REPORTED);
    if (!firstInvalid && truncated.length === 0) return { valid: true, checked };
    const truncatedChains = truncated.map((chain) => chain.chainKey);
    if (!firstInvalid) {
      return {
        valid: false,
        checked,
        firstInvalidId: truncated[0].lastId ?? undefined,
        reason: 'truncated_tail',
        invalidCount: truncated.length,
        truncatedChains,
      };
    }
    return {
      valid: false,
      checked,
      firstInvalidId: firstInvalid.entry.id,
      reason: firstInvalid.reason,
      invalidCount: invalidCount + truncated.length,
      truncatedChains,
    };
  }
}

function isEarlier(a: AuditLogEntry, b: AuditLogEntry): boolean {
  const byTime = a.occurredAt.getTime() - b.occurredAt.getTime();
  return byTime < 0 || (byTime === 0 && a.id < b.id);
}
