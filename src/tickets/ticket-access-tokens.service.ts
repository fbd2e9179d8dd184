import { Injectable } from '@nestjs/common';
import { DomainEvents, type Actor } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { newTicketToken, ticketTokenHash } from './ticket-tokens';
import { TicketAccessTokenRotated } from './tickets.events';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

export interface RotatedTicketToken {
  accessToken: string;
  expiresAt: Date;
}

/**
 * The one-ticket access tokens (`X-Ticket-Token`): they open their ticket until TICKET_TOKEN_TTL_DAYS
 * after they were issued, until they are rotated (by staff or by the customer), and only while the
 * ticket is live and its requester's account is active.
 */
@Injectable()
export class TicketAccessTokens {
  constructor(
    private readonly tickets: TicketsService,
    private readonly repository: TicketsRepository,
    private readonly domainEvents: DomainEvents,
    private readonly config: AppConfig,
  ) {}

  /** Resolves an X-Ticket-Token to the one ticket it opens, or null. */
  async resolve(token: string): Promise<Actor | null> {
    const hash = ticketTokenHash(token);
    if (!hash) return null;
    const holder = await this.repository.findByAccessTokenHash(hash);
    if (!holder || this.expiresAt(holder.issuedAt).getTime() <= Date.now()) return null;
    return {
      type: 'ticket_token',
      id: holder.id,
      role: null,
      ticketId: holder.id,
      name: 'Ticket token',
    };
  }

  /** Replaces the ticket's token: the old one stops working at once. */
  async rotate(actor: Actor, ticketId: string): Promise<RotatedTicketToken> {
    const ticket = await this.tickets.lockForChange(actor, ticketId);
    const { token, hash } = newTicketToken();
    const issuedAt = new Date();
    await this.repository.replaceAccessToken(ticket.id, hash, issuedAt);
    const by = actor.type === 'ticket_token' || actor.role === 'customer' ? 'customer' : 'staff';
    this.domainEvents.record(new TicketAccessTokenRotated(ticket.id, by));
    return { accessToken: token, expiresAt: this.expiresAt(issuedAt) };
  }

  private expiresAt(issuedAt: Date): Date {
    return new Date(issuedAt.getTime() + this.config.ticketTokenTtlDays * 86_400_000);
  }
}
