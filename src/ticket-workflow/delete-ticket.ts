import { Injectable } from '@nestjs/common';
import { DomainEvents, type Actor } from '@helpdesk/common';
import { assertAllowed } from 'src/tickets/ticket-policy';
import { TicketDeleted } from 'src/tickets/tickets.events';
import { TicketsService } from 'src/tickets/tickets.service';
import { recordTicketEvents } from './ticket-events';

/** Soft delete (admin): the row stays for audit and references, and disappears from every read. */
@Injectable()
export class DeleteTicket {
  constructor(
    private readonly tickets: TicketsService,
    private readonly domainEvents: DomainEvents,
  ) {}

  async run(actor: Actor, id: string, ifMatch?: number): Promise<void> {
    const ticket = await this.tickets.lockForChange(actor, id, ifMatch);
    assertAllowed('delete', actor, ticket);
    await this.tickets.markDeleted(ticket);
    recordTicketEvents(this.domainEvents, ticket, [new TicketDeleted(id)]);
  }
}
