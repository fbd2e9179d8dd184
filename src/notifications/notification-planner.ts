import { Injectable } from '@nestjs/common';
import { DomainEvents } from '@helpdesk/common';
import type { TicketSlaAtRisk, TicketSlaBreached } from 'src/sla/sla.events';
import type { User } from 'src/users/user.entity';
import { UsersService } from 'src/users/users.service';
import { EventPlanner, type EventPlan } from './event-planner';
import { NotificationLinks } from './notification-links';
import { NotificationsService } from './notifications.service';

/**
 * The outbox's domain-event consumer (ARCHITECTURE.md): it turns the events other modules record
 * into `plan()` calls, inside the same transaction, before it commits — so tickets, SLA and
 * escalation code never import mail code, and a rolled-back change never sends an email. The
 * relay is woken by `plan()` itself once the transaction commits.
 *
 * To map an event, add an entry to `planners` keyed by the event's `type`. Events carry ids and
 * changed fields, never bodies, so the planner reads what the email needs through the owning
 * module's exported service (or from the event, when importing that service would make a module
 * cycle, as for the SLA events). `TicketNotificationPlanner` (ticket-notifications.planner.ts)
 * maps the ticket events this way.
 *
 * Recipients follow API.md section 9: SLA at risk / breached → the assignee and every active
 * support_manager (one `plan()` per recipient, since the greeting differs); escalation → the
 * support_managers and the escalation's `notify_email`. Customer emails (`ticket_created`,
 * `agent_reply`, `ticket_resolved`) carry only public content: a reply's planner must check the
 * message is not an internal note. The creation receipt's portal link carries the ticket's access
 * token, a secret no event may carry, so TicketsService plans `ticket_created` itself, in its unit
 * of work, exactly as AuthService plans `magic_link`.
 */
@Injectable()
export class NotificationPlanner extends EventPlanner {
  readonly name = 'notifications';

  protected readonly planners: Readonly<Record<string, EventPlan>> = {
    // Recorded once per ticket and target (the SLA module marks it in the same transaction).
    'ticket.sla_at_risk': (event) => this.planSla('sla_at_risk', event as TicketSlaAtRisk),
    'ticket.sla_breached': (event) => this.planSla('sla_breached', event as TicketSlaBreached),
  };

  constructor(
    domainEvents: DomainEvents,
    private readonly notifications: NotificationsService,
    private readonly links: NotificationLinks,
    private readonly users: UsersService,
  ) {
    super(domainEvents);
  }

  /** SLA at risk / breached: the assignee and every active support_manager (API.md section 9). */
  private async planSla(
    kind: 'sla_at_risk' | 'sla_breached',
    event: TicketSlaAtRisk | TicketSlaBreached,
  ): Promise<void> {
    const { ticket } = event;
    const assignee = ticket.assigneeId ? await this.users.findByIdOrNull(ticket.assigneeId) : null;
    const recipients = new Map<string, User>();
    if (assignee?.isActive) recipients.set(assignee.id, assignee);
    for (const manager of await this.users.findActiveWithRole('support_manager')) {
      recipients.set(manager.id, manager);
    }
    // One plan() per recipient: the greeting differs.
    for (const recipient of recipients.values()) {
      await this.notifications.plan({
        event: kind,
        to: recipient.email,
        ticket: { id: ticket.id, number: ticket.number, subject: ticket.subject },
        data: {
          recipient_name: recipient.name,
          target: event.target,
          due_at: event.dueAt,
          priority: ticket.priority,
          ticket_url: this.links.staffTicket(ticket.id),
        },
      });
    }
  }
}
