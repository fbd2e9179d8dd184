import { Injectable } from '@nestjs/common';
import { DomainEvents, SYSTEM_ACTOR } from '@helpdesk/common';
import { TicketAutoClosed } from 'src/sla/sla.events';
import { TicketSlaTracker } from 'src/sla/ticket-sla.tracker';
import { TicketsService } from 'src/tickets/tickets.service';
import { recordTicketEvents } from './ticket-events';
import { TicketStatusMoves } from './ticket-status-move';

/**
 * The sweep closes a ticket still `resolved` since before `cutoff` (re-checked under its lock:
 * it may have been reopened since it was selected), through the same status move as every other.
 */
@Injectable()
export class AutoCloseTicket {
  constructor(
    private readonly tickets: TicketsService,
    private readonly statusMoves: TicketStatusMoves,
    private readonly sla: TicketSlaTracker,
    private readonly domainEvents: DomainEvents,
  ) {}

  /** True when it closed the ticket. */
  async run(id: string, cutoff: Date, autoCloseDays: number): Promise<boolean> {
    const ticket = await this.tickets.lockForChange(SYSTEM_ACTOR, id);
    const resolvedAt = ticket.resolvedAt;
    if (ticket.status !== 'resolved' || !resolvedAt || resolvedAt >= cutoff) return false;

    const move = await this.statusMoves.apply(ticket, 'closed', SYSTEM_ACTOR, 'auto_close');
    await this.tickets.save(ticket);

    await this.sla.recordFindings([move.sla], ticket);
    recordTicketEvents(this.domainEvents, ticket, [
      move.event(),
      new TicketAutoClosed(id, resolvedAt, autoCloseDays),
    ]);
    return true;
  }
}
