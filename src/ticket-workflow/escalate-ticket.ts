import { Injectable } from '@nestjs/common';
import { DomainEvents, type Actor } from '@helpdesk/common';
import { TicketEscalated } from 'src/escalations/escalations.events';
import { assertAllowed } from 'src/tickets/ticket-policy';
import type { Ticket } from 'src/tickets/ticket.entity';
import { TicketsService } from 'src/tickets/tickets.service';
import { recordTicketEvents } from './ticket-events';

export interface EscalationInput {
  reason: string;
  notifyEmail?: string | null;
}

/**
 * Flags a ticket as escalated and keeps the reason and time (API.md section 6). Refused on
 * closed tickets. Escalating an escalated ticket again is allowed on purpose: things can get
 * worse, and the new reason replaces the old one, restarts `escalated_at` and notifies again.
 */
@Injectable()
export class EscalateTicket {
  constructor(
    private readonly tickets: TicketsService,
    private readonly domainEvents: DomainEvents,
  ) {}

  async run(
    actor: Actor,
    ticketId: string,
    input: EscalationInput,
    ifMatch?: number,
  ): Promise<Ticket> {
    const ticket = await this.tickets.lockForChange(actor, ticketId, ifMatch);
    assertAllowed('escalate', actor, ticket);

    const alreadyEscalated = ticket.escalated;
    ticket.escalated = true;
    ticket.escalationReason = input.reason;
    ticket.escalatedAt = new Date();
    await this.tickets.save(ticket);

    recordTicketEvents(this.domainEvents, ticket, [
      new TicketEscalated(
        ticketId,
        input.notifyEmail ?? null,
        input.reason.length,
        alreadyEscalated,
      ),
    ]);
    return ticket;
  }
}
