import { Injectable } from '@nestjs/common';
import { DomainEvents, type Actor } from '@helpdesk/common';
import { TicketSlaTracker } from 'src/sla/ticket-sla.tracker';
import type { TicketStatus } from 'src/tickets/ticket-status';
import type { Ticket } from 'src/tickets/ticket.entity';
import { TicketsService } from 'src/tickets/tickets.service';
import { recordTicketEvents } from './ticket-events';
import { TicketStatusMoves } from './ticket-status-move';

/** `PATCH /admin/tickets/{id}/status` (API.md section 6), and each ticket of a bulk status change. */
@Injectable()
export class ChangeTicketStatus {
  constructor(
    private readonly tickets: TicketsService,
    private readonly statusMoves: TicketStatusMoves,
    private readonly sla: TicketSlaTracker,
    private readonly domainEvents: DomainEvents,
  ) {}

  async run(
    actor: Actor,
    ticketId: string,
    to: TicketStatus,
    options: { resolutionNotes?: string; ifMatch?: number; cause?: 'status_change' | 'bulk' } = {},
  ): Promise<Ticket> {
    const ticket = await this.tickets.lockForChange(actor, ticketId, options.ifMatch);
    // The legal moves (409) and who may make this one (403) are checked by the move itself.
    const move = await this.statusMoves.apply(
      ticket,
      to,
      actor,
      options.cause ?? 'status_change',
      options.resolutionNotes,
    );
    await this.tickets.save(ticket);

    await this.sla.recordFindings([move.sla], ticket);
    recordTicketEvents(this.domainEvents, ticket, [move.event()]);
    return ticket;
  }
}
