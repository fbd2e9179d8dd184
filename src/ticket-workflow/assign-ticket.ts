import { Injectable } from '@nestjs/common';
import { DomainEvents, type Actor } from '@helpdesk/common';
import { AssignmentsService } from 'src/assignments/assignments.service';
import { assertAllowed } from 'src/tickets/ticket-policy';
import type { Ticket } from 'src/tickets/ticket.entity';
import { TicketsService } from 'src/tickets/tickets.service';
import type { User } from 'src/users/user.entity';
import { UsersService } from 'src/users/users.service';
import { assignableStaff } from './open-staff-ticket';
import { recordTicketEvents } from './ticket-events';

/**
 * Changes the assignee (API.md section 6): support may only take a ticket or let go of their
 * own; managers may assign anyone active on staff; never on closed tickets.
 */
@Injectable()
export class AssignTicket {
  constructor(
    private readonly tickets: TicketsService,
    private readonly users: UsersService,
    private readonly assignments: AssignmentsService,
    private readonly domainEvents: DomainEvents,
  ) {}

  async run(
    actor: Actor,
    ticketId: string,
    assigneeId: string | null,
    reason: string | null,
    ifMatch?: number,
  ): Promise<Ticket> {
    const ticket = await this.tickets.lockForChange(actor, ticketId, ifMatch);
    assertAllowed('assign', actor, ticket);
    let assignee: User | null = null;
    if (assigneeId === null) assertAllowed('assign_to', actor, ticket, { assigneeId });
    else assignee = await assignableStaff(this.users, actor, assigneeId, ticket);
    if (ticket.assigneeId === assigneeId) return ticket;

    const previous = ticket.assigneeId;
    ticket.assigneeId = assigneeId;
    ticket.assignee = assignee; // already read: the save need not look the new assignee up
    await this.tickets.save(ticket);
    const assigned = await this.assignments.recordChange(
      ticketId,
      previous,
      assigneeId,
      actor,
      reason,
    );

    recordTicketEvents(this.domainEvents, ticket, [assigned]);
    return ticket;
  }
}
