import { createHash, createHmac } from 'node:crypto';
import { safeEqual } from '@helpdesk/common';
import { canonicalJson } from './audit-payload';

/** Who acted, as API.md section 8 names it. */
export type AuditActorType = 'user' | 'api_key' | 'system';

/** Everything an entry says, plus its place in its chain: exactly what its HMAC covers. */
export interface AuditEntryContent {
  id: string;
  occurredAt: Date;
  actorType: AuditActorType;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  changes: Record<string, unknown>;
  details: Record<string, unknown>;
  chainKey: string;
  chainSeq: number;
  prevHash: string | null;
  keyId: string;
}

export interface SignedAuditEntry extends AuditEntryContent {
  hash: string;
}

/** One chain per resource, so writes about unrelated resources never wait for each other. */
export function chainKeyOf(resourceType: string, resourceId: string | null): string {
  return `${resourceType}:${resourceId ?? '-'}`;
}

/**
 * The 64-bit key of `pg_advisory_xact_lock` for a chain. Computed here rather than with
 * PostgreSQL's hashtext so a unit of work can take several chain locks in one global order.
 */
export function advisoryLockIdOf(chainKey: string): bigint {
  return createHash('sha256').update(`audit-chain:${chainKey}`).digest().readBigInt64BE(0);
}

/** The text an entry's HMAC is computed over: canonical JSON, keys sorted, snake_case names. */
export function canonicalContent(entry: AuditEntryContent): string {
  return canonicalJson({
    id: entry.id,
    occurred_at: entry.occurredAt.toISOString(),
    actor_type: entry.actorType,
    actor_id: entry.actorId,
    actor_role: entry.actorRole,
    action: entry.action,
    resource_type: entry.resourceType,
    resource_id: entry.resourceId,
    request_id: entry.requestId,
    ip: entry.ip,
    user_agent: entry.userAgent,
    changes: entry.changes,
    details: entry.details,
    chain_key: entry.chainKey,
    chain_seq: entry.chainSeq,
    prev_hash: entry.prevHash,
    key_id: entry.keyId,
  });
}

export interface AuditKey {
  /** Stored on every entry, so the right key is found after a rotation. */
  id: string;
  secret: string;
}

/**
 * The current signing key and the previous ones (AUDIT_HMAC_PREVIOUS_KEYS), which only verify.
 * A key's id is derived from the key itself (a one-way HMAC), so rotating needs no bookkeeping
 * and the id reveals nothing about the key.
 */
export class AuditKeyring {
  readonly current: AuditKey;
  private readonly byId = new Map<string, AuditKey>();

  constructor(currentSecret: string, previousSecrets: readonly string[] = []) {
    this.current = { id: AuditKeyring.idOf(currentSecret), secret: currentSecret };
    for (const secret of [currentSecret, ...previousSecrets]) {
      const key = { id: AuditKeyring.idOf(secret), secret };
      if (!this.byId.has(key.id)) this.byId.set(key.id, key);
    }
  }

  static idOf(secret: string): string {
    return createHmac('sha256', secret).update('helpdesk audit key id').digest('hex').slice(0, 16);
  }

  find(keyId: string): AuditKey | undefined {
    return this.byId.get(keyId);
  }

  /** HMAC-SHA256 (hex) of the entry's canonical content with the key it names. */
  hashOf(entry: AuditEntryContent): string | null {
    const key = this.find(entry.keyId);
    return key
      ? createHmac('sha256', key.secret).update(canonicalContent(entry)).digest('hex')
      : null;
  }
}

/** Why an entry fails verification. */
export type ChainFault =
  | 'unknown_key' // signed with a key that is neither current nor listed as previous
  | 'hash_mismatch' // its content (or its hash) was changed after it was written
  | 'broken_link' // prev_hash is not the previous entry's hash: an entry before it was changed or removed
  | 'sequence_gap' // chain_seq does not follow on: an entry was removed or inserted
  | 'wrong_chain'; // chain_key does not match its resource

/**
 * Checks entries fed in chain order (chain_key, then chain_seq), one at a time, so a caller can
 * stream the table through it. Each entry is judged against the entry before it as stored, so
 * one edited row is reported once rather than condemning the rest of its chain.
 */
export class ChainVerifier {
  private chainKey: string | null = null;
  private lastSeq = 0;
  private lastHash: string | null = null;

  constructor(private readonly keyring: AuditKeyring) {}

  check(entry: SignedAuditEntry): ChainFault | null {
    if (entry.chainKey !== this.chainKey) {
      this.chainKey = entry.chainKey;
      this.lastSeq = 0;
      this.lastHash = null;
    }
    const expectedSeq = this.lastSeq + 1;
    const expectedPrevHash = this.lastHash;
    this.lastSeq = entry.chainSeq;
    this.lastHash = entry.hash;

    if (entry.chainKey !== chainKeyOf(entry.resourceType, entry.resourceId)) return 'wrong_chain';
    if (entry.chainSeq !== expectedSeq) return 'sequence_gap';
    if (entry.prevHash !== expectedPrevHash) return 'broken_link';
    const hash = this.keyring.hashOf(entry);
    if (hash === null) return 'unknown_key';
    return safeEqual(hash, entry.hash) ? null : 'hash_mismatch';
  }
}
