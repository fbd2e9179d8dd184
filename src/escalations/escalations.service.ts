import { Injectable } from '@nestjs/common';
import { DomainEvents, type Actor } from '@helpdesk/common';
import type { Ticket } from 'src/tickets/ticket.entity';
import { TicketClosedError } from 'src/tickets/tickets.errors';
import { TicketsService } from 'src/tickets/tickets.service';
import { TicketEscalated } from './escalations.events';

export interface EscalationInput {
  reason: string;
  notifyEmail?: string | null;
}

@Injectable()
export class EscalationsService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly domainEvents: DomainEvents,
  ) {}

  /**
   * Flags a ticket as escalated and keeps the reason and time (API.md section 6). Refused on
   * closed tickets. Escalating an escalated ticket again is allowed on purpose: things can get
   * worse, and the new reason replaces the old one, restarts `escalated_at` and notifies again.
   */
  async escalate(
    actor: Actor,
    ticketId: string,
    input: EscalationInput,
    ifMatch?: number,
  ): Promise<Ticket> {
    const ticket = await this.tickets.lockForChange(actor, ticketId, ifMatch);
    if (ticket.status === 'closed')
      throw new TicketClosedError('A closed ticket cannot be escalated; reopen it first.');
    const alreadyEscalated = ticket.escalated;
    ticket.escalated = true;
    ticket.escalationReason = input.reason;
    ticket.escalatedAt = new Date();
    const saved = await this.tickets.save(ticket);
    this.domainEvents.record(
      new TicketEscalated(
        ticketId,
        input.notifyEmail ?? null,
        input.reason.length,
        alreadyEscalated,
      ),
    );
    return saved;
  }
}
