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
    // One after another: inside a transaction they share its one connection (pg refuses
    // overlapping queries on a client from pg 9), and outside one a request fanning out over
    // several pool connections starves concurrent requests of theirs.
    const sections: Record<string, unknown> = {};
    for (const contributor of this.contributors) {
      if (contributor.audiences.includes(audience)) {
        sections[contributor.section] = await contributor.contribute(ticket, actor);
      }
    }
    return sections;
  }
}
