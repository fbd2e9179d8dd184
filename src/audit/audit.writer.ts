import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  DomainEvents,
  recordedActorOf,
  uuidv7,
  type DomainEvent,
  type DomainEventConsumer,
  type UnitOfWorkContext,
} from '@helpdesk/common';
import { auditActionsFor } from './audit-actions';
import { AuditKeyring, chainKeyOf } from './audit-chain';
import { AuditLogEntry } from './audit-log-entry.entity';
import { toAuditJson, toAuditObject } from './audit-payload';
import { AuditRepository } from './audit.repository';

/**
 * Turns the audited domain events of a unit of work into audit entries, inside its transaction
 * (before commit): the change and its entries commit or roll back together.
 */
@Injectable()
export class AuditWriter implements DomainEventConsumer, OnModuleInit {
  readonly name = 'audit';

  constructor(
    private readonly domainEvents: DomainEvents,
    private readonly audit: AuditRepository,
    private readonly keyring: AuditKeyring,
  ) {}

  onModuleInit(): void {
    this.domainEvents.register(this);
  }

  async consume(events: readonly DomainEvent[], context: UnitOfWorkContext): Promise<void> {
    const audited = events.flatMap((event) =>
      auditActionsFor(event).map((action) => ({ event, action })),
    );
    if (audited.length === 0) return;

    const chainKeys = audited.map(({ event }) => chainKeyOf(event.resourceType, event.resourceId));
    // A chain opened by this unit of work (a new ticket) has no head yet, and no one else can
    // write to it before the commit: no lock, no lookup.
    const opened = new Set(
      audited.flatMap(({ event }, i) => (event.opensResource ? [chainKeys[i]] : [])),
    );
    // A chain whose every event comes from a change holding the resource's row lock is already
    // serialized by that lock: its head is read, but no advisory lock is taken.
    const unlocked = new Set(
      audited.flatMap(({ event }, i) => (event.resourceLocked ? [] : [chainKeys[i]])),
    );
    const existing = chainKeys.filter((key) => !opened.has(key));
    const heads = await this.audit.lockChainHeads(
      existing,
      existing.filter((key) => unlocked.has(key)),
    );
    const actor = recordedActorOf(context.actor);
    const key = this.keyring.current;

    const entries = audited.map(({ event, action }, index) => {
      const chainKey = chainKeys[index];
      const head = heads.get(chainKey);
      const details = toAuditObject(event.details);
      if (context.actor?.type === 'ticket_token') details.actor_credential = 'ticket_token';
      const entry = Object.assign(new AuditLogEntry(), {
        id: uuidv7(),
        occurredAt: event.occurredAt,
        actorType: actor.type,
        actorId: actor.id,
        actorRole: actor.role,
        action,
        resourceType: event.resourceType,
        resourceId: event.resourceId,
        requestId: text(context.requestId),
        ip: text(context.ip),
        userAgent: text(context.userAgent),
        changes: toAuditObject(event.changes),
        details,
        chainKey,
        chainSeq: (head?.chainSeq ?? 0) + 1,
        prevHash: head?.hash ?? null,
        keyId: key.id,
      } satisfies Omit<AuditLogEntry, 'hash'>);
      entry.hash = this.keyring.hashOf(entry)!;
      // The next event on the same resource in this unit of work links to this one.
      heads.set(chainKey, { chainSeq: entry.chainSeq, hash: entry.hash });
      return entry;
    });
    await this.audit.insert(entries);
  }
}

/** Text columns get the same cleaning as jsonb values (no NUL, no lone surrogates). */
function text(value: string | null): string | null {
  return value === null ? null : (toAuditJson(value) as string);
}
