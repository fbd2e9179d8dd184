import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  DomainEvents,
  type DomainEvent,
  type DomainEventConsumer,
  type UnitOfWorkContext,
} from '@helpdesk/common';
import { TokenService } from './token.service';

/**
 * A password change or reset, a role change and deactivation end every other sign-in session of
 * that user, in the same transaction as the change (a rolled-back change revokes nothing). The
 * users module only records `user.updated`; it knows nothing about sessions.
 */
@Injectable()
export class SessionRevocationConsumer implements DomainEventConsumer, OnModuleInit {
  readonly name = 'session-revocation';

  constructor(
    private readonly domainEvents: DomainEvents,
    private readonly tokens: TokenService,
  ) {}

  onModuleInit(): void {
    this.domainEvents.register(this);
  }

  async consume(events: readonly DomainEvent[], context: UnitOfWorkContext): Promise<void> {
    for (const event of events) {
      if (event.type !== 'user.updated' || !event.resourceId || !endsSessions(event)) continue;
      const actor = context.actor;
      // Changing one's own password keeps the session that did it; every other one ends.
      const keep =
        actor?.type === 'user' && actor.id === event.resourceId ? actor.sessionId : undefined;
      await this.tokens.revokeAllForUser(event.resourceId, keep);
    }
  }
}

function endsSessions(event: DomainEvent): boolean {
  const { password, role, is_active: isActive } = event.changes;
  return password !== undefined || role !== undefined || isActive?.[1] === false;
}
