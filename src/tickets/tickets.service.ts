import { Injectable } from '@nestjs/common';
import {
  Clock,
  DomainEvents,
  ForbiddenError,
  pageOf,
  PreconditionFailedError,
  ValidationFailedError,
  type Actor,
  type FieldChanges,
  type Page,
} from '@helpdesk/common';
import { hasStaffRole, isStaffRole } from 'src/access/roles';
import type { User } from 'src/users/user.entity';
import { UsersService } from 'src/users/users.service';
import { assertCanView } from './ticket-access';
import type { TicketChannel, TicketPriority } from './ticket-enums';
import type { TicketListFilter } from './ticket-list.query';
import { assertTransition, lifecycleTimestamps, type TicketStatus } from './ticket-status';
import { newTicketToken } from './ticket-tokens';
import { Ticket, type CustomFields } from './ticket.entity';
import {
  TicketCreated,
  TicketDeleted,
  TicketPriorityChanged,
  TicketStatusChanged,
  TicketUpdated,
} from './tickets.events';
import { TicketClosedError } from './tickets.errors';
import { TicketsRepository } from './tickets.repository';

export interface IntakeInput {
  name?: string;
  email?: string;
  phoneNumber?: string;
  /** Absent: the message's first line (subjectFromMessage). */
  subject?: string;
  message: string;
  category?: string;
  priority?: TicketPriority;
  customFields?: CustomFields;
  externalUserId?: string;
  /** API keys only, like externalUserId. */
  organization?: string;
}

export interface StaffCreateInput {
  requesterEmail: string;
  requesterName?: string;
  subject: string;
  message: string;
  priority?: TicketPriority;
  category?: string;
  tags?: string[];
  channel?: TicketChannel;
  assigneeId?: string | null;
  customFields?: CustomFields;
}

export interface TicketChanges {
  subject?: string;
  category?: string | null;
  tags?: string[];
  customFields?: CustomFields;
  priority?: TicketPriority;
}

/** The message a ticket is opened with; the messages module stores it. */
export interface OpeningMessage {
  senderType: 'customer' | 'agent';
  senderId: string | null;
  body: string;
  /** Who opened the ticket (for history such as the first assignment). */
  actor: Actor | null;
}

/**
 * Hooks other modules plug into ticket lifecycle moments (the first message, SLA due times,
 * assignment history) without tickets importing them. They run inside the same transaction.
 * A hook that changes the ticket's columns must also set them on the object it is given: the
 * service answers with that object and does not read the row again.
 */
export interface TicketLifecycleHooks {
  onCreated?(ticket: Ticket, opening: OpeningMessage): Promise<void> | void;
  onPriorityChanged?(ticket: Ticket): Promise<void> | void;
  onStatusChanged?(ticket: Ticket, from: TicketStatus): Promise<void> | void;
  onFirstResponse?(ticket: Ticket): Promise<void> | void;
}

@Injectable()
export class TicketsService {
  private readonly hooks: TicketLifecycleHooks[] = [];

  constructor(
    private readonly tickets: TicketsRepository,
    private readonly users: UsersService,
    private readonly domainEvents: DomainEvents,
    private readonly clock: Clock,
  ) {}

  registerHooks(hooks: TicketLifecycleHooks): void {
    this.hooks.push(hooks);
  }

  /** Public intake: anonymous, a customer's bearer token, or an API key (API.md section 5). */
  async createFromIntake(
    actor: Actor | null,
    input: IntakeInput,
  ): Promise<{ ticket: Ticket; accessToken: string }> {
    for (const [field, value] of [
      ['external_user_id', input.externalUserId],
      ['organization', input.organization],
    ] as const) {
      if (value !== undefined && actor?.type !== 'api_key')
        throw ValidationFailedError.forField(field, `${field} may only be set by API keys`);
    }
    let requester: User;
    if (actor?.type === 'user' && actor.role === 'customer') {
      requester = await this.users.findById(actor.id!);
    } else {
      const missing = (['name', 'email'] as const).filter((field) => !input[field]);
      if (missing.length) {
        throw new ValidationFailedError(`${missing.join(' and ')} required`, {
          errors: missing.map((field) => ({ field, message: `${field} is required` })),
        });
      }
      requester = await this.users.findOrCreateCustomer({
        email: input.email!,
        name: input.name!,
        phoneNumber: input.phoneNumber ?? null,
        externalId: input.externalUserId ?? null,
        organization: input.organization ?? null,
      });
    }
    const channel: TicketChannel = actor?.type === 'api_key' ? 'api' : 'web';
    const subject = input.subject ?? subjectFromMessage(input.message);
    return this.open(
      requester,
      { ...input, subject, channel, tags: [], assignee: null },
      { senderType: 'customer', senderId: requester.id, body: input.message, actor },
    );
  }

  /** An agent opens a ticket for a requester (phone, email forwarded by hand, …). */
  async createByStaff(actor: Actor, input: StaffCreateInput): Promise<Ticket> {
    const assignee = input.assigneeId ? await this.assertAssignable(actor, input.assigneeId) : null;
    const requester = await this.users.findOrCreateCustomer({
      email: input.requesterEmail,
      name: input.requesterName ?? input.requesterEmail.split('@')[0],
    });
    const opened = await this.open(
      requester,
      {
        ...input,
        channel: input.channel ?? 'phone',
        tags: input.tags ?? [],
        assignee,
      },
      {
        senderType: 'agent',
        senderId: actor.type === 'user' ? actor.id : null,
        body: input.message,
        actor,
      },
    );
    return opened.ticket;
  }

  private async open(
    requester: User,
    input: {
      subject: string;
      message: string;
      category?: string;
      priority?: TicketPriority;
      customFields?: CustomFields;
      channel: TicketChannel;
      tags: string[];
      assignee: User | null;
    },
    opening: OpeningMessage,
  ): Promise<{ ticket: Ticket; accessToken: string }> {
    const { token, hash } = newTicketToken();
    const draft = new Ticket();
    draft.subject = input.subject;
    draft.status = 'open';
    draft.priority = input.priority ?? 'normal';
    draft.category = input.category ?? null;
    draft.channel = input.channel;
    draft.requesterId = requester.id;
    draft.requester = requester;
    draft.assigneeId = input.assignee?.id ?? null;
    draft.assignee = input.assignee;
    draft.tags = input.tags;
    draft.customFields = input.customFields ?? {};
    draft.accessTokenHash = hash;
    // Who opened it: the actor, or for an anonymous contact form the customer it is for.
    const actor = opening.actor;
    if (actor && actor.type !== 'ticket_token') {
      draft.createdByType = actor.type;
      draft.createdById = actor.id;
    } else {
      draft.createdByType = 'user';
      draft.createdById = requester.id;
    }
    // Hooks that change the ticket (SLA) update this object as well as its row: no re-read.
    const ticket = await this.tickets.insert(draft);
    for (const hook of this.hooks) await hook.onCreated?.(ticket, opening);
    this.domainEvents.record(
      new TicketCreated(
        ticket.id,
        {
          number: ticket.number,
          channel: ticket.channel,
          priority: ticket.priority,
          status: ticket.status,
          requesterId: ticket.requesterId,
          assigneeId: ticket.assigneeId,
        },
        token,
        input.message.length,
      ),
    );
    return { ticket, accessToken: token };
  }

  /** A live ticket for collaborating modules that already know the caller may act on it. */
  findLive(id: string): Promise<Ticket | null> {
    return this.tickets.findLiveById(id);
  }

  /** A live ticket the actor may see, or 404. */
  async getVisible(actor: Actor | null, id: string): Promise<Ticket> {
    return assertCanView(actor, await this.tickets.findLiveById(id), id);
  }

  /** A live ticket the actor may see, by its number, or 404. */
  async getVisibleByNumber(actor: Actor | null, number: number): Promise<Ticket> {
    return assertCanView(actor, await this.tickets.findLiveByNumber(number), `#${number}`);
  }

  /**
   * A ticket as the current transaction sees it, including a soft-deleted one. Not for requests:
   * no access check. The event feed uses it to describe a change, deletions included.
   */
  findIncludingDeleted(id: string): Promise<Ticket | null> {
    return this.tickets.findByIdIncludingDeleted(id);
  }

  async list(filter: TicketListFilter): Promise<Page<Ticket> & { total_is_estimate: boolean }> {
    const { items, total, estimated } = await this.tickets.list(filter);
    return { ...pageOf(items, total, filter), total_is_estimate: estimated };
  }

  async listForRequester(
    requesterId: string,
    statuses: TicketStatus[] | undefined,
    page: { page: number; limit: number },
  ): Promise<Page<Ticket>> {
    const [items, total] = await this.tickets.listForRequester(requesterId, statuses, page);
    return pageOf(items, total, page);
  }

  countForRequester(requesterId: string): Promise<number> {
    return this.tickets.countForRequester(requesterId);
  }

  async update(
    actor: Actor,
    id: string,
    changes: TicketChanges,
    ifMatch?: number,
  ): Promise<Ticket> {
    const ticket = await this.lockForChange(actor, id, ifMatch);
    if (
      changes.priority !== undefined &&
      changes.priority !== ticket.priority &&
      !hasStaffRole(actor.role, 'support_manager')
    ) {
      throw new ForbiddenError('Changing the priority needs support_manager.');
    }
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
    const previousPriority = ticket.priority;
    const priorityChanged = changes.priority !== undefined && changes.priority !== ticket.priority;
    if (priorityChanged) ticket.priority = changes.priority!;
    if (Object.keys(diff).length === 0 && !priorityChanged) return ticket;

    const saved = await this.tickets.save(ticket);
    if (priorityChanged) {
      for (const hook of this.hooks) await hook.onPriorityChanged?.(saved);
      this.domainEvents.record(new TicketPriorityChanged(id, previousPriority, saved.priority));
    }
    if (Object.keys(diff).length) this.domainEvents.record(new TicketUpdated(id, diff));
    return saved;
  }

  async changeStatus(
    actor: Actor,
    id: string,
    to: TicketStatus,
    resolutionNotes: string | undefined,
    ifMatch?: number,
  ): Promise<Ticket> {
    const ticket = await this.lockForChange(actor, id, ifMatch);
    return this.moveTo(ticket, to, actor.role, 'status_change', resolutionNotes);
  }

  /**
   * Applies a status move to a ticket locked by the caller's transaction: the one path every
   * status change takes (explicit changes, replies, customer messages, auto-close, bulk).
   */
  async moveTo(
    ticket: Ticket,
    to: TicketStatus,
    role: string | null,
    cause: TicketStatusChanged['cause'],
    resolutionNotes?: string,
  ): Promise<Ticket> {
    const from = ticket.status;
    assertTransition(from, to, role);
    if (to === 'resolved') {
      if (!resolutionNotes?.trim())
        throw ValidationFailedError.forField(
          'resolution_notes',
          'resolution_notes is required when resolving',
        );
    }
    if (resolutionNotes !== undefined) ticket.resolutionNotes = resolutionNotes;
    Object.assign(ticket, lifecycleTimestamps(to, ticket, this.clock.now()));
    ticket.status = to;
    const saved = await this.tickets.save(ticket);
    for (const hook of this.hooks) await hook.onStatusChanged?.(saved, from);
    this.domainEvents.record(
      new TicketStatusChanged(ticket.id, from, to, cause, resolutionNotes?.length),
    );
    return saved;
  }

  /**
   * The ticket side of an agent reply (API.md section 6): refused on closed tickets; the first
   * reply sets first_responded_at; the ticket moves to `requested` if given (a legal move), else
   * from open/in_progress/pending to waiting_customer. The caller locked the ticket.
   */
  async applyAgentReply(
    ticket: Ticket,
    actor: Actor,
    requested?: TicketStatus,
    resolutionNotes?: string,
  ): Promise<Ticket> {
    if (ticket.status === 'closed')
      throw new TicketClosedError('A closed ticket cannot be replied to; reopen it first.');
    const firstResponse = ticket.firstRespondedAt === null;
    if (firstResponse) ticket.firstRespondedAt = this.clock.now();
    const target =
      requested ?? (AWAITING_AGENT.includes(ticket.status) ? 'waiting_customer' : undefined);
    const saved = target
      ? await this.moveTo(ticket, target, actor.role, 'agent_reply', resolutionNotes)
      : firstResponse
        ? await this.tickets.save(ticket)
        : ticket;
    const firstResponseHooks = firstResponse
      ? this.hooks.filter((h) => h.onFirstResponse !== undefined)
      : [];
    for (const hook of firstResponseHooks) await hook.onFirstResponse!(saved);
    return saved;
  }

  /** The ticket side of a customer message: refused on closed tickets; reopens a waiting ticket. */
  async applyCustomerMessage(ticket: Ticket): Promise<Ticket> {
    if (ticket.status === 'closed')
      throw new TicketClosedError('This ticket is closed; please open a new one.');
    if (REOPENED_BY_CUSTOMER.includes(ticket.status))
      return this.moveTo(ticket, 'open', null, 'customer_reply');
    return ticket;
  }

  async softDelete(actor: Actor, id: string, ifMatch?: number): Promise<void> {
    await this.lockForChange(actor, id, ifMatch);
    await this.tickets.markDeleted(id);
    this.domainEvents.record(new TicketDeleted(id));
  }

  /** Locks a live ticket the actor may see and checks `If-Match` against its version. */
  async lockForChange(actor: Actor | null, id: string, ifMatch?: number): Promise<Ticket> {
    const ticket = assertCanView(actor, await this.tickets.lockLiveById(id), id);
    if (ifMatch !== undefined && ifMatch !== ticket.version) {
      throw new PreconditionFailedError(
        `The ticket is at version ${ticket.version}, not ${ifMatch}; reload it and retry.`,
      );
    }
    return ticket;
  }

  /** Persists changes made by a collaborating service to a ticket it locked with lockForChange. */
  save(ticket: Ticket): Promise<Ticket> {
    return this.tickets.save(ticket);
  }

  /** The assignee must be active staff; a support agent may only assign themselves. */
  async assertAssignable(actor: Actor, assigneeId: string): Promise<User> {
    const assignee = await this.users.findByIdOrNull(assigneeId);
    if (!assignee || !assignee.isActive || !isStaffRole(assignee.role)) {
      throw ValidationFailedError.forField(
        'assignee_id',
        'assignee_id must be an active staff user',
      );
    }
    if (
      !hasStaffRole(actor.role, 'support_manager') &&
      !(actor.type === 'user' && actor.id === assigneeId)
    ) {
      throw new ForbiddenError('Support agents may only assign tickets to themselves.');
    }
    return assignee;
  }
}

const AWAITING_AGENT: TicketStatus[] = ['open', 'in_progress', 'pending'];
const REOPENED_BY_CUSTOMER: TicketStatus[] = ['waiting_customer', 'pending', 'resolved'];

/** The message's first non-blank line, trimmed to a subject's 200 characters. */
export function subjectFromMessage(message: string): string {
  const line = message.split(/\r?\n/).find((l) => l.trim()) ?? '';
  const subject = [...line.trim()].slice(0, SUBJECT_MAX_LENGTH).join('').trimEnd();
  return subject || '(no subject)';
}

const SUBJECT_MAX_LENGTH = 200;

function sameMembers(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}
