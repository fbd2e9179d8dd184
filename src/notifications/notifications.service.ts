import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DomainEvents, NotFoundError, pageOf, type Page } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { parseSender, threadHeaders, type Sender } from './mail-addressing';
import { Notification, type NotificationStatus } from './notification.entity';
import type { NotificationEvent, NotificationTemplateData } from './notification-events';
import { NotificationRelay } from './notification-relay';
import { NotificationTemplates } from './notification-templates';
import { NotificationAlreadySentError } from './notifications.errors';
import { NotificationRetried } from './notifications.events';
import { NotificationsRepository } from './notifications.repository';

/** The ticket an email is about: it threads the email and names it in the subject. */
export interface TicketRef {
  id: string;
  number: number;
  subject: string;
}

/** One email to plan: `to` may name several addresses, each gets its own row and delivery. */
export interface PlanNotification<E extends NotificationEvent = NotificationEvent> {
  event: E;
  to: string | readonly string[];
  data: NotificationTemplateData[E];
  ticket?: TicketRef;
}

export interface PlannedNotification {
  id: string;
  recipient: string;
}

// Deliberately loose (the address was validated where it was entered); it only keeps header
// syntax (spaces, commas, angle brackets, line breaks) out of the recipient.
const PLAIN_ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

/**
 * The outbox's public face. Other modules call `plan()` inside their unit of work; everything
 * after that (queueing, retries, SMTP) is this module's business.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly sender: Sender;

  constructor(
    private readonly repository: NotificationsRepository,
    private readonly templates: NotificationTemplates,
    private readonly relay: NotificationRelay,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly domainEvents: DomainEvents,
    private readonly config: AppConfig,
  ) {
    this.sender = parseSender(config.mailFrom);
  }

  /**
   * Renders the event's templates and records one notification per distinct recipient, in the
   * current transaction: if the unit of work rolls back, nothing was planned and nothing is sent.
   * Once it commits, the relay puts the rows on the delivery queue.
   *
   * ```ts
   * await this.notifications.plan({
   *   event: 'agent_reply',
   *   to: ticket.requester.email,
   *   ticket: { id: ticket.id, number: ticket.number, subject: ticket.subject },
   *   data: {
   *     customer_name: ticket.requester.name,
   *     agent_name: agent.name,
   *     reply_text: message.body,
   *     portal_url: this.links.portalTicket(ticket.id),
   *   },
   * });
   * ```
   */
  async plan<E extends NotificationEvent>(
    input: PlanNotification<E>,
  ): Promise<PlannedNotification[]> {
    if (!this.txHost.isTransactionActive()) {
      throw new Error(`notifications.plan(${input.event}) called outside a unit of work`);
    }
    const recipients = this.recipientsOf(input);
    if (recipients.length === 0) return [];
    const email = this.templates.render(input.event, input.data, {
      helpdesk: { name: this.sender.name, url: this.config.publicUrl },
      ticket: input.ticket,
    });
    const notifications = recipients.map((recipient) => {
      const notification = new Notification();
      const headers = threadHeaders(this.sender, notification.id, input.ticket?.id ?? null);
      Object.assign(notification, {
        event: input.event,
        recipient,
        subject: email.subject,
        textBody: email.text,
        htmlBody: email.html,
        ticketId: input.ticket?.id ?? null,
        messageIdHeader: headers.messageId,
        inReplyTo: headers.inReplyTo,
        referencesHeader: headers.references,
        replyTo: headers.replyTo,
        status: 'pending',
        attempts: 0,
        lastError: null,
        queuedAt: null,
        nextAttemptAt: null,
        sentAt: null,
      } satisfies Partial<Notification>);
      return notification;
    });
    await this.repository.insert(notifications);
    this.relay.wakeAfterCommit();
    return notifications.map((n) => ({ id: n.id, recipient: n.recipient }));
  }

  async list(filter: {
    status?: NotificationStatus;
    page: number;
    limit: number;
    offset?: number;
  }): Promise<Page<Notification>> {
    const [items, total] = await this.repository.list(filter);
    return pageOf(items, total, filter);
  }

  /**
   * Puts a failed (or stuck pending) notification back on the queue with a fresh set of
   * attempts. A pending one that is waiting out a backoff keeps its scheduled attempt.
   */
  async retry(id: string): Promise<Notification> {
    const notification = await this.repository.findByIdForUpdate(id);
    if (!notification) throw new NotFoundError(`No notification ${id}.`);
    if (notification.status === 'sent') throw new NotificationAlreadySentError(id);
    await this.repository.resetForRetry(id);
    this.domainEvents.record(
      new NotificationRetried(id, notification.status, notification.attempts),
    );
    this.relay.wakeAfterCommit();
    return (await this.repository.findById(id))!;
  }

  private recipientsOf(input: PlanNotification): string[] {
    const seen = new Set<string>();
    const recipients: string[] = [];
    for (const raw of typeof input.to === 'string' ? [input.to] : input.to) {
      const address = raw.trim();
      if (!PLAIN_ADDRESS.test(address)) {
        this.logger.warn(`not planning ${input.event} to a malformed address`);
        continue;
      }
      if (seen.has(address.toLowerCase())) continue;
      seen.add(address.toLowerCase());
      recipients.push(address);
    }
    return recipients;
  }
}
