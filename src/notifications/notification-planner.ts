import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  DomainEvents,
  type DomainEvent,
  type DomainEventConsumer,
  type UnitOfWorkContext,
} from '@helpdesk/common';
import { NotificationLinks } from './notification-links';
import { NotificationsService } from './notifications.service';

type Planner = (event: DomainEvent, context: UnitOfWorkContext) => Promise<void>;

/**
 * The outbox's domain-event consumer (ARCHITECTURE.md): it turns the events other modules record
 * into `plan()` calls, inside the same transaction, before it commits — so tickets, SLA and
 * escalation code never import mail code, and a rolled-back change never sends an email. The
 * relay is woken by `plan()` itself once the transaction commits.
 *
 * No events are mapped yet (their modules are being written). To map one, add an entry to
 * `planners` keyed by the event's `type`. Events carry ids and changed fields, never bodies, so
 * the planner reads what the email needs through the owning module's exported service:
 *
 * ```ts
 * 'ticket.assigned': async (event) => {
 *   const ticket = await this.tickets.findForNotification(event.resourceId!); // TicketsService
 *   const [, assigneeId] = event.changes.assignee_id as [string | null, string | null];
 *   if (!assigneeId) return; // unassigned: nobody to tell
 *   const assignee = await this.users.findById(assigneeId); // UsersService
 *   await this.notifications.plan({
 *     event: 'ticket_assigned',
 *     to: assignee.email,
 *     ticket: { id: ticket.id, number: ticket.number, subject: ticket.subject },
 *     data: {
 *       assignee_name: assignee.name,
 *       assigned_by_name: context.actor?.name ?? null,
 *       priority: ticket.priority,
 *       ticket_url: this.links.staffTicket(ticket.id),
 *     },
 *   });
 * },
 * ```
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
export class NotificationPlanner implements DomainEventConsumer, OnModuleInit {
  readonly name = 'notifications';

  private readonly planners: Readonly<Record<string, Planner>> = {};

  constructor(
    private readonly domainEvents: DomainEvents,
    // Used by the planners as they are added (see above).
    protected readonly notifications: NotificationsService,
    protected readonly links: NotificationLinks,
  ) {}

  onModuleInit(): void {
    this.domainEvents.register(this);
  }

  async consume(events: readonly DomainEvent[], context: UnitOfWorkContext): Promise<void> {
    for (const event of events) {
      const planner = this.planners[event.type];
      if (planner) await planner(event, context);
    }
  }
}
