import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { Actor } from '@helpdesk/common';
import { TicketsService } from 'src/tickets/tickets.service';
import { TicketAssigned } from './assignments.events';
import { TicketAssignment } from './ticket-assignment.entity';

/**
 * The assignment history's record. Who may assign whom is the policy's
 * (src/tickets/ticket-policy.ts); the change itself is src/ticket-workflow/assign-ticket.ts.
 */
@Injectable()
export class AssignmentsService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  private get history() {
    return this.txHost.tx.getRepository(TicketAssignment);
  }

  /** Writes one history entry and answers the event the use case records with its others. */
  async recordChange(
    ticketId: string,
    fromId: string | null,
    toId: string | null,
    actor: Actor | null,
    reason: string | null,
  ): Promise<TicketAssigned> {
    const entry = new TicketAssignment();
    entry.ticketId = ticketId;
    entry.fromId = fromId;
    entry.toId = toId;
    entry.byId = actor?.type === 'user' ? actor.id : null;
    entry.byName = actor?.type === 'user' ? null : (actor?.name ?? 'System');
    entry.reason = reason;
    await this.history.insert(entry);
    return new TicketAssigned(ticketId, fromId, toId, reason);
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
