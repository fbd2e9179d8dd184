import { Injectable } from '@nestjs/common';
import type { Actor } from '@helpdesk/common';

export type TicketTokenResolver = (token: string) => Promise<Actor | null>;

/**
 * Lets the tickets module teach the access guard about `X-Ticket-Token` without auth
 * depending on tickets.
 */
@Injectable()
export class CredentialResolvers {
  private ticketTokenResolver: TicketTokenResolver | null = null;

  registerTicketTokenResolver(resolver: TicketTokenResolver): void {
    this.ticketTokenResolver = resolver;
  }

  async resolveTicketToken(token: string): Promise<Actor | null> {
    return this.ticketTokenResolver ? this.ticketTokenResolver(token) : null;
  }
}
