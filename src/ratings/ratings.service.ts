import { Injectable } from '@nestjs/common';
import { ConflictError, DomainEvents, RequestContext, type Actor } from '@helpdesk/common';
import type { Ticket } from 'src/tickets/ticket.entity';
import type { TicketStatus } from 'src/tickets/ticket-status';
import { TicketsService } from 'src/tickets/tickets.service';
import { RatingLinks } from './rating-links';
import { TicketRated } from './ratings.events';
import { RatingsRepository } from './ratings.repository';
import type { RatingSource, TicketRating } from './ticket-rating.entity';
import { snapshotOf, withSnapshot } from 'src/tickets/ticket-snapshot';

export interface RatingInput {
  score: number;
  comment?: string | null;
}

const RATEABLE: readonly TicketStatus[] = ['resolved', 'closed'];

@Injectable()
export class RatingsService {
  constructor(
    private readonly ratings: RatingsRepository,
    private readonly tickets: TicketsService,
    private readonly links: RatingLinks,
    private readonly context: RequestContext,
    private readonly domainEvents: DomainEvents,
  ) {}

  /** The portal route: the requester (bearer) or the holder of the ticket's X-Ticket-Token. */
  async rateAsCustomer(actor: Actor, ticketId: string, input: RatingInput): Promise<TicketRating> {
    const ticket = await this.tickets.lockForChange(actor, ticketId);
    return this.rate(ticket, input, 'portal', actor.type === 'user' ? actor.id : null);
  }

  /** The signed link of the resolution email: the token alone opens this one ticket's rating. */
  async rateByLink(token: string, input: RatingInput): Promise<TicketRating> {
    const holder = linkHolderOf(this.links.verify(token).ticketId);
    // An anonymous caller acts as the ticket's token holder (its customer), as the portal's
    // X-Ticket-Token does, so the audit entry says who rated.
    if (!this.context.actor) this.context.actor = holder;
    const ticket = await this.tickets.lockForChange(holder, holder.ticketId!);
    return this.rate(ticket, input, 'link', null);
  }

  /** What a rating page shows for a signed link: the ticket, its rating, and whether it may be rated. */
  async describeLink(token: string): Promise<{
    ticket: Ticket;
    rating: TicketRating | null;
    rateable: boolean;
    expiresAt: Date;
  }> {
    const { ticketId, expiresAt } = this.links.verify(token);
    const holder = linkHolderOf(ticketId);
    const ticket = await this.tickets.getVisible(holder, holder.ticketId!);
    return {
      ticket,
      rating: await this.ratings.findForTicket(ticket.id),
      rateable: RATEABLE.includes(ticket.status),
      expiresAt,
    };
  }

  /** The rating of a ticket the caller has already been allowed to see (detail views). */
  forTicket(ticketId: string): Promise<TicketRating | null> {
    return this.ratings.findForTicket(ticketId);
  }

  private async rate(
    ticket: Ticket,
    input: RatingInput,
    source: RatingSource,
    ratedById: string | null,
  ): Promise<TicketRating> {
    if (!RATEABLE.includes(ticket.status)) {
      throw new ConflictError(
        `Only resolved or closed tickets can be rated; this one is '${ticket.status}'.`,
      );
    }
    const previous = await this.ratings.findForTicket(ticket.id);
    const comment = input.comment?.trim() ? input.comment : null;
    const saved = await this.ratings.upsert({
      ticketId: ticket.id,
      score: input.score,
      comment,
      ratedById,
      source,
    });
    this.domainEvents.record(
      withSnapshot(
        new TicketRated(
          ticket.id,
          previous?.score ?? null,
          saved.score,
          comment?.length ?? 0,
          source,
        ),
        snapshotOf(ticket),
      ),
    );
    return saved;
  }
}

/** A valid link grants what the ticket's X-Ticket-Token grants, for rating only. */
function linkHolderOf(ticketId: string): Actor {
  return { type: 'ticket_token', id: ticketId, role: null, ticketId, name: 'Rating link' };
}
