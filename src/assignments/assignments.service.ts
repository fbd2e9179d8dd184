import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DomainEvents, ForbiddenError, type Actor } from '@helpdesk/common';
import { hasStaffRole } from 'src/access/roles';
import { TicketClosedError } from 'src/tickets/tickets.errors';
import type { Ticket } from 'src/tickets/ticket.entity';
import type { User } from 'src/users/user.entity';
import { TicketsService } from 'src/tickets/tickets.service';
import { TicketAssigned } from './assignments.events';
import { TicketAssignment } from './ticket-assignment.entity';

@Injectable()
export class AssignmentsService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly domainEvents: DomainEvents,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  private get history() {
    return this.txHost.tx.getRepository(TicketAssignment);
  }

  /**
   * Changes the assignee (API.md section 6): support may only take a ticket or let go of their
   * own; managers may assign anyone active on staff; never on closed tickets.
   */
  async assign(
    actor: Actor,
    ticketId: string,
    assigneeId: string | null,
    reason: string | null,
    ifMatch?: number,
  ): Promise<Ticket> {
    const ticket = await this.tickets.lockForChange(actor, ticketId, ifMatch);
    if (ticket.status === 'closed')
      throw new TicketClosedError('A closed ticket cannot be reassigned; reopen it first.');
    const manager = hasStaffRole(actor.role, 'support_manager');
    let assignee: User | null = null;
    if (assigneeId === null) {
      const ownTicket = actor.type === 'user' && ticket.assigneeId === actor.id;
      if (!manager && !ownTicket && ticket.assigneeId !== null) {
        throw new ForbiddenError('Support agents may only unassign themselves.');
      }
    } else {
      assignee = await this.tickets.assertAssignable(actor, assigneeId);
    }
    if (ticket.assigneeId === assigneeId) return ticket;
    const previous = ticket.assigneeId;
    ticket.assigneeId = assigneeId;
    ticket.assignee = assignee; // already read: save() need not look the new assignee up
    const saved = await this.tickets.save(ticket);
    await this.recordChange(ticketId, previous, assigneeId, actor, reason);
    return saved;
  }

  async recordChange(
    ticketId: string,
    fromId: string | null,
    toId: string | null,
    actor: Actor | null,
    reason: string | null,
  ): Promise<void> {
    const entry = new TicketAssignment();
    entry.ticketId = ticketId;
    entry.fromId = fromId;
    entry.toId = toId;
    entry.byId = actor?.type === 'user' ? actor.id : null;
    entry.byName = actor?.type === 'user' ? null : (actor?.name ?? 'System');
    entry.reason = reason;
    await this.history.insert(entry);
    this.domainEvents.record(new TicketAssigned(ticketId, fromId, toId, reason));
  }

  async historyOf(actor: Actor, ticketId: string): Promise<TicketAssignment[]> {
    await this.tickets.getVisible(actor, ticketId);
    return this.history.find({
      where: { ticketId },
      relations: { from: true, to: true, by: true },
      order: { at: 'ASC', id: 'ASC' },
    });
  }
}
