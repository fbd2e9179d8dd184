import { Injectable } from '@nestjs/common';
import { DomainEvents, type Actor, type FieldChanges } from '@helpdesk/common';
import { TicketSlaTracker } from 'src/sla/ticket-sla.tracker';
import type { TicketPriority } from 'src/tickets/ticket-enums';
import { assertAllowed } from 'src/tickets/ticket-policy';
import type { CustomFields, Ticket } from 'src/tickets/ticket.entity';
import { TicketPriorityChanged, TicketUpdated } from 'src/tickets/tickets.events';
import { TicketsService } from 'src/tickets/tickets.service';
import { recordTicketEvents } from './ticket-events';

export interface TicketChanges {
  subject?: string;
  category?: string | null;
  tags?: string[];
  customFields?: CustomFields;
  priority?: TicketPriority;
}

/**
 * `PATCH /admin/tickets/{id}` and the bulk priority and tag changes: the fields that changed
 * (`ticket.updated`) and a priority change (manager only; its own event, and new SLA due times).
 */
@Injectable()
export class EditTicket {
  constructor(
    private readonly tickets: TicketsService,
    private readonly sla: TicketSlaTracker,
    private readonly domainEvents: DomainEvents,
  ) {}

  async run(actor: Actor, id: string, changes: TicketChanges, ifMatch?: number): Promise<Ticket> {
    const ticket = await this.tickets.lockForChange(actor, id, ifMatch);
    return this.apply(actor, ticket, changes);
  }

  /** The change on a ticket the caller locked (bulk tag edits read the tags under the lock). */
  async apply(actor: Actor, ticket: Ticket, changes: TicketChanges): Promise<Ticket> {
    const previousPriority = ticket.priority;
    const priorityChanged = changes.priority !== undefined && changes.priority !== previousPriority;
    if (priorityChanged) assertAllowed('change_priority', actor, ticket);

    const diff: FieldChanges = {};
    if (changes.subject !== undefined && changes.subject !== ticket.subject) {
      diff.subject = [ticket.subject, changes.subject];
      ticket.subject = changes.subject;
    }
    if (changes.category !== undefined && changes.category !== ticket.category) {
      diff.category = [ticket.category, changes.category];
      ticket.category = changes.category;
    }
    if (changes.tags !== undefined && !sameMembers(changes.tags, ticket.tags)) {
      diff.tags = [ticket.tags, changes.tags];
      ticket.tags = changes.tags;
    }
    if (
      changes.customFields !== undefined &&
      JSON.stringify(changes.customFields) !== JSON.stringify(ticket.customFields)
    ) {
      diff.custom_fields = [ticket.customFields, changes.customFields];
      ticket.customFields = changes.customFields;
    }
    if (Object.keys(diff).length === 0 && !priorityChanged) return ticket;
    if (priorityChanged) ticket.priority = changes.priority!;
    const sla = priorityChanged ? await this.sla.priorityChanged(ticket) : null;
    await this.tickets.save(ticket);

    await this.sla.recordFindings([sla], ticket);
    recordTicketEvents(this.domainEvents, ticket, [
      priorityChanged
        ? new TicketPriorityChanged(ticket.id, previousPriority, ticket.priority)
        : null,
      Object.keys(diff).length ? new TicketUpdated(ticket.id, diff) : null,
    ]);
    return ticket;
  }
}

function sameMembers(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}
