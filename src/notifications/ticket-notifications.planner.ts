import { Injectable } from '@nestjs/common';
import { DomainEvents, type UnitOfWorkContext } from '@helpdesk/common';
import type { TicketAssigned } from 'src/assignments/assignments.events';
import type { TicketEscalated } from 'src/escalations/escalations.events';
import type { TicketReplied } from 'src/messages/messages.events';
import { RatingLinks } from 'src/ratings/rating-links';
import type { Ticket } from 'src/tickets/ticket.entity';
import { ticketSnapshotOf, type TicketSnapshot } from 'src/tickets/ticket-snapshot';
import type { TicketCreated, TicketStatusChanged } from 'src/tickets/tickets.events';
import { UsersService } from 'src/users/users.service';
import { EventPlanner, type EventPlan } from './event-planner';
import { NotificationLinks } from './notification-links';
import { NotificationsService, type TicketRef } from './notifications.service';

const ref = (ticket: Ticket): TicketRef => ({
  id: ticket.id,
  number: ticket.number,
  subject: ticket.subject,
});

/** The live ticket (and message) an event was recorded with; deleted tickets email no one. */
function snapshotFor(event: { type: string }): TicketSnapshot | null {
  const snapshot = ticketSnapshotOf(event as never);
  if (!snapshot) throw new Error(`${event.type} was recorded without a ticket snapshot`);
  return snapshot.ticket.deletedAt ? null : snapshot;
}

/**
 * Turns ticket events into emails (API.md section 9), inside the transaction that recorded them,
 * so a rolled-back change never sends one. Everything comes from the snapshot the use case
 * recorded the event with (no re-read). Customer emails carry only public content: a reply's
 * text is the customer-visible message the reply wrote, never a note.
 */
@Injectable()
export class TicketNotificationPlanner extends EventPlanner {
  readonly name = 'ticket-notifications';

  protected readonly planners: Readonly<Record<string, EventPlan>> = {
    'ticket.created': (event) => this.receipt(event as TicketCreated),
    'ticket.replied': (event, context) => this.agentReply(event as TicketReplied, context),
    'ticket.status_changed': (event) => this.resolved(event as TicketStatusChanged),
    'ticket.assigned': (event, context) => this.assigned(event as TicketAssigned, context),
    'ticket.escalated': (event, context) => this.escalated(event as TicketEscalated, context),
  };

  constructor(
    domainEvents: DomainEvents,
    private readonly notifications: NotificationsService,
    private readonly links: NotificationLinks,
    private readonly users: UsersService,
    private readonly ratingLinks: RatingLinks,
  ) {
    super(domainEvents);
  }

  /** The receipt's portal link carries the ticket's access token, which only this event holds. */
  private async receipt(event: TicketCreated): Promise<void> {
    const ticket = snapshotFor(event)?.ticket;
    if (!ticket?.requester) return;
    await this.notifications.plan({
      event: 'ticket_created',
      to: ticket.requester.email,
      ticket: ref(ticket),
      data: {
        customer_name: ticket.requester.name,
        portal_url: this.links.portalTicket(ticket.id, event.accessToken),
      },
    });
  }

  private async agentReply(event: TicketReplied, context: UnitOfWorkContext): Promise<void> {
    const snapshot = snapshotFor(event);
    const ticket = snapshot?.ticket;
    const message = snapshot?.message;
    if (!ticket?.requester || !message || message.senderType !== 'agent') return;
    await this.notifications.plan({
      event: 'agent_reply',
      to: ticket.requester.email,
      ticket: ref(ticket),
      data: {
        customer_name: ticket.requester.name,
        agent_name: message.sender?.name ?? context.actor?.name ?? 'Support',
        reply_text: message.body,
        portal_url: this.links.portalTicket(ticket.id),
      },
    });
  }

  private async resolved(event: TicketStatusChanged): Promise<void> {
    if (event.to !== 'resolved') return;
    const ticket = snapshotFor(event)?.ticket;
    if (!ticket?.requester) return;
    await this.notifications.plan({
      event: 'ticket_resolved',
      to: ticket.requester.email,
      ticket: ref(ticket),
      data: {
        customer_name: ticket.requester.name,
        resolution_notes: ticket.resolutionNotes ?? '',
        // Signed: rates the ticket without signing in (src/ratings/rating-links.ts).
        rating_url: this.ratingLinks.linkFor(ticket.id),
        portal_url: this.links.portalTicket(ticket.id),
      },
    });
  }

  /** The new assignee hears about it, unless they took the ticket themselves. */
  private async assigned(event: TicketAssigned, context: UnitOfWorkContext): Promise<void> {
    if (!event.toId || (context.actor?.type === 'user' && context.actor.id === event.toId)) return;
    const ticket = snapshotFor(event)?.ticket;
    // The use case read the assignee (active staff) to assign them.
    const assignee = ticket?.assignee?.id === event.toId ? ticket.assignee : null;
    if (!ticket || !assignee?.isActive) return;
    await this.notifications.plan({
      event: 'ticket_assigned',
      to: assignee.email,
      ticket: ref(ticket),
      data: {
        assignee_name: assignee.name,
        assigned_by_name: context.actor?.name ?? null,
        priority: ticket.priority,
        ticket_url: this.links.staffTicket(ticket.id),
      },
    });
  }

  /** Every active support_manager and the escalation's notify_email (API.md section 9). */
  private async escalated(event: TicketEscalated, context: UnitOfWorkContext): Promise<void> {
    const ticket = snapshotFor(event)?.ticket;
    if (!ticket) return;
    const managers = await this.users.findActiveWithRole('support_manager');
    const recipients = new Map<string, string | null>(
      managers.map((m) => [m.email.toLowerCase(), m.name]),
    );
    if (event.notifyEmail && !recipients.has(event.notifyEmail.toLowerCase()))
      recipients.set(event.notifyEmail.toLowerCase(), null);
    for (const [email, name] of recipients) {
      await this.notifications.plan({
        event: 'escalation',
        to: email,
        ticket: ref(ticket),
        data: {
          recipient_name: name,
          escalated_by_name: context.actor?.name ?? 'A manager',
          reason: ticket.escalationReason ?? '',
          priority: ticket.priority,
          ticket_url: this.links.staffTicket(ticket.id),
        },
      });
    }
  }
}
