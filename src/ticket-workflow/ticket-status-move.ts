import { Injectable } from '@nestjs/common';
import { Clock, ValidationFailedError, type Actor } from '@helpdesk/common';
import { TicketSlaTracker, type SlaOutcome } from 'src/sla/ticket-sla.tracker';
import type { Ticket } from 'src/tickets/ticket.entity';
import { assertAllowed } from 'src/tickets/ticket-policy';
import { assertLegalMove, lifecycleTimestamps, type TicketStatus } from 'src/tickets/ticket-status';
import { TicketStatusChanged } from 'src/tickets/tickets.events';

/** What a status move did in memory: the SLA judgement it caused, and its event. */
export interface StatusMove {
  sla: SlaOutcome | null;
  /**
   * The event, made when the use case records its events (last, after the SLA findings), so
   * that events' times follow the order in which they are written.
   */
  event(): TicketStatusChanged;
}

/**
 * The one way a locked ticket's status moves, shared by the use cases that move it (a status
 * change, a reply, a customer message, auto-close, bulk): the workflow's legal moves (409), the
 * policy for who may make this one (403; `actor` null when the move is the system's consequence
 * of something else), resolution notes, the lifecycle timestamps and the SLA clock. It changes
 * the ticket object only: the use case writes the row once, and records the event last.
 */
@Injectable()
export class TicketStatusMoves {
  constructor(
    private readonly sla: TicketSlaTracker,
    private readonly clock: Clock,
  ) {}

  async apply(
    ticket: Ticket,
    to: TicketStatus,
    actor: Actor | null,
    cause: TicketStatusChanged['cause'],
    resolutionNotes?: string,
  ): Promise<StatusMove> {
    const from = ticket.status;
    assertLegalMove(from, to);
    if (actor) assertAllowed('change_status', actor, ticket, { to });
    if (to === 'resolved' && !resolutionNotes?.trim()) {
      throw ValidationFailedError.forField(
        'resolution_notes',
        'resolution_notes is required when resolving',
      );
    }
    if (resolutionNotes !== undefined) ticket.resolutionNotes = resolutionNotes;
    Object.assign(ticket, lifecycleTimestamps(to, ticket, this.clock.now()));
    ticket.status = to;
    const sla = await this.sla.statusChanged(ticket);
    return {
      sla,
      event: () => new TicketStatusChanged(ticket.id, from, to, cause, resolutionNotes?.length),
    };
  }
}
