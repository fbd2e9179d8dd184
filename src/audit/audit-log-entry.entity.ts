import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AuditActorType, SignedAuditEntry } from './audit-chain';

/** int8 comes back from pg as a string; chain positions stay far below 2^53. */
const bigintAsNumber = {
  to: (value: number): number => value,
  from: (value: string | null): number | null => (value === null ? null : Number(value)),
};

/**
 * One audit entry: who did what to which resource, when and from where, chained by HMAC to the
 * entry before it for the same resource. Append-only (a trigger refuses UPDATE, DELETE and
 * TRUNCATE). No foreign keys: the log outlives the users and tickets it talks about.
 */
@Entity('audit_log')
export class AuditLogEntry implements SignedAuditEntry {
  @PrimaryColumn('uuid')
  id: string;

  @Column('timestamptz')
  occurredAt: Date;

  @Column('text')
  actorType: AuditActorType;

  @Column('uuid', { nullable: true })
  actorId: string | null;

  @Column('text', { nullable: true })
  actorRole: string | null;

  @Column('text')
  action: string;

  @Column('text')
  resourceType: string;

  @Column('text', { nullable: true })
  resourceId: string | null;

  @Column('text', { nullable: true })
  requestId: string | null;

  @Column('text', { nullable: true })
  ip: string | null;

  @Column('text', { nullable: true })
  userAgent: string | null;

  @Column('jsonb')
  changes: Record<string, unknown>;

  @Column('jsonb')
  details: Record<string, unknown>;

  @Column('text')
  chainKey: string;

  @Column('bigint', { transformer: bigintAsNumber })
  chainSeq: number;

  @Column('text', { nullable: true })
  prevHash: string | null;

  @Column('text')
  hash: string;

  @Column('text')
  keyId: string;
}
