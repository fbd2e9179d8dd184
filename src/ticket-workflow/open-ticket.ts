import { Injectable } from '@nestjs/common';
import { DomainEvents, type Actor } from '@helpdesk/common';
import { AssignmentsService } from 'src/assignments/assignments.service';
import { MessagesService } from 'src/messages/messages.service';
import type { TicketMessage } from 'src/messages/ticket-message.entity';
import { TicketSlaTracker } from 'src/sla/ticket-sla.tracker';
import type { TicketChannel, TicketPriority } from 'src/tickets/ticket-enums';
import { newTicketToken } from 'src/tickets/ticket-tokens';
import { Ticket, type CustomFields } from 'src/tickets/ticket.entity';
import { TicketCreated } from 'src/tickets/tickets.events';
import { TicketsService } from 'src/tickets/tickets.service';
import type { User } from 'src/users/user.entity';
import { recordTicketEvents } from './ticket-events';

/** What every channel opens a ticket with, once it knows the requester. */
export interface Opening {
  requester: User;
  subject: string;
  message: string;
  category?: string;
  priority?: TicketPriority;
  customFields?: CustomFields;
  channel: TicketChannel;
  tags: string[];
  assignee: User | null;
  /** Who writes the first message: the customer, or the agent opening it for them. */
  senderType: 'customer' | 'agent';
  /** Who opened the ticket (for the first assignment's history). */
  actor: Actor | null;
}

export interface OpenedTicket {
  ticket: Ticket;
  /** The first message, as written: the 201 is built from it (no read-back). */
  message: TicketMessage;
  /** The plain access token, for the customer's receipt and the 201. */
  accessToken: string;
}

/**
 * The steps every new ticket takes, whichever channel it came from (open-public-ticket.ts,
 * open-staff-ticket.ts; inbound email and others are further callers): the row, with its SLA
 * due times and search document, written once; the first message; the first assignment's
 * history; then `ticket.created` with the ticket as opened.
 */
@Injectable()
export class OpenTicket {
  constructor(
    private readonly tickets: TicketsService,
    private readonly messages: MessagesService,
    private readonly assignments: AssignmentsService,
    private readonly sla: TicketSlaTracker,
    private readonly domainEvents: DomainEvents,
  ) {}

  async open(input: Opening): Promise<OpenedTicket> {
    const { token, hash } = newTicketToken();
    const draft = Object.assign(new Ticket(), {
      subject: input.subject,
      status: 'open',
      priority: input.priority ?? 'normal',
      category: input.category ?? null,
      channel: input.channel,
      requesterId: input.requester.id,
      requester: input.requester,
      assigneeId: input.assignee?.id ?? null,
      assignee: input.assignee,
      tags: input.tags,
      customFields: input.customFields ?? {},
      accessTokenHash: hash,
      ...createdByOf(input.actor, input.requester),
      // Set here, not by the column default, since the SLA due times are counted from it: the
      // wall clock, as the default was (the SLA judgement itself runs on the Clock).
      createdAt: new Date(),
      // A new ticket's clock state, which the SLA judgement reads before the row exists.
      firstRespondedAt: null,
      resolvedAt: null,
      closedAt: null,
      firstResponseMetAt: null,
      firstResponseBreachedAt: null,
      firstResponseAtRiskNotifiedAt: null,
      resolutionBreachedAt: null,
      resolutionAtRiskNotifiedAt: null,
      slaPausedAt: null,
      slaPausedCalendarMinutes: 0,
      slaPausedBusinessMinutes: 0,
    } satisfies Partial<Ticket>);

    // SLA before the insert: the row is written once, due times and search document included.
    const sla = await this.sla.started(draft);
    const ticket = await this.tickets.insert(draft, {
      requester: `${input.requester.name} ${input.requester.email}`,
      body: input.message,
    });
    const message = await this.messages.append({
      ticketId: ticket.id,
      senderType: input.senderType,
      senderId: input.senderType === 'customer' ? input.requester.id : staffIdOf(input.actor),
      sender: input.senderType === 'customer' ? input.requester : staffSenderOf(input.actor),
      body: input.message,
      // The opening message is as old as its ticket.
      createdAt: ticket.createdAt,
    });

    // Events last, made in the order they are written (SLA findings, then the creation).
    await this.sla.recordFindings([sla], ticket);
    const created = new TicketCreated(
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
    );
    // A ticket opened with an assignee starts its assignment history with it.
    const assigned = ticket.assigneeId
      ? await this.assignments.recordChange(ticket.id, null, ticket.assigneeId, input.actor, null)
      : null;
    recordTicketEvents(this.domainEvents, ticket, [created, assigned], message);
    return { ticket, message, accessToken: token };
  }
}

function staffIdOf(actor: Actor | null): string | null {
  return actor?.type === 'user' ? actor.id : null;
}

/** An agent's message names them as the request knows them; an integration's names no one. */
export function staffSenderOf(actor: Actor | null): Pick<User, 'id' | 'name'> | null {
  return actor?.type === 'user' && actor.id ? { id: actor.id, name: actor.name ?? '' } : null;
}

/** Who opened it: the actor, or for an anonymous contact form the customer it is for. */
function createdByOf(
  actor: Actor | null,
  requester: User,
): Pick<Ticket, 'createdByType' | 'createdById'> {
  if (actor && actor.type !== 'ticket_token') {
    return { createdByType: actor.type, createdById: actor.id };
  }
  return { createdByType: 'user', createdById: requester.id };
}
