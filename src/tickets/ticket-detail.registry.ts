import { Injectable } from '@nestjs/common';
import type { Actor } from '@helpdesk/common';
import type { Ticket } from './ticket.entity';

export type DetailAudience = 'staff' | 'customer';

/**
 * Sections that other modules add to a ticket's detail view (internal notes, attachments, the
 * rating) without tickets importing them. Each contributor is told the audience, and customer
 * contributions must only ever hold customer-visible data.
 */
export interface TicketDetailContributor {
  readonly section: string;
  readonly audiences: readonly DetailAudience[];
  contribute(ticket: Ticket, actor: Actor | null): Promise<unknown>;
}

@Injectable()
export class TicketDetailRegistry {
  private readonly contributors: TicketDetailContributor[] = [];

  register(contributor: TicketDetailContributor): void {
    this.contributors.push(contributor);
  }

  async sectionsFor(
    ticket: Ticket,
    audience: DetailAudience,
    actor: Actor | null,
  ): Promise<Record<string, unknown>> {
    const relevant = this.contributors.filter((c) => c.audiences.includes(audience));
    const values = await Promise.all(relevant.map((c) => c.contribute(ticket, actor)));
    return Object.fromEntries(relevant.map((c, i) => [c.section, values[i]]));
  }
}
