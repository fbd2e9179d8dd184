import { Injectable } from '@nestjs/common';
import { pageOf, PreconditionFailedError, type Actor, type Page } from '@helpdesk/common';
import type { TicketListFilter } from './ticket-list.query';
import { assertCanView } from './ticket-policy';
import type { TicketStatus } from './ticket-status';
import type { Ticket } from './ticket.entity';
import { TicketsRepository, type TicketSearchText } from './tickets.repository';

/**
 * The ticket record: reads, the row lock, and the writes the use cases of src/ticket-workflow/
 * make. It holds no workflow rule (those are the use cases' and the policy's) and records no
 * event (the use cases record theirs, last, with a snapshot).
 */
@Injectable()
export class TicketsService {
  constructor(private readonly tickets: TicketsRepository) {}

  /** A live ticket the actor may see, or 404. */
  async getVisible(actor: Actor | null, id: string): Promise<Ticket> {
    return assertCanView(actor, await this.tickets.findLiveById(id), id);
  }

  /** A live ticket for collaborators that already know the caller may act on it (no check). */
  findLive(id: string): Promise<Ticket | null> {
    return this.tickets.findLiveById(id);
  }

  /** A live ticket the actor may see, by its number, or 404. */
  async getVisibleByNumber(actor: Actor | null, number: number): Promise<Ticket> {
    return assertCanView(actor, await this.tickets.findLiveByNumber(number), `#${number}`);
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

  /**
   * Locks a live ticket the actor may see (404 otherwise) for the rest of the transaction, with
   * its requester and assignee, and checks `If-Match` against its version. Every change starts
   * here, once.
   */
  async lockForChange(actor: Actor | null, id: string, ifMatch?: number): Promise<Ticket> {
    const ticket = assertCanView(actor, await this.tickets.lockLiveById(id), id);
    if (ifMatch !== undefined && ifMatch !== ticket.version) {
      throw new PreconditionFailedError(
        `The ticket is at version ${ticket.version}, not ${ifMatch}; reload it and retry.`,
      );
    }
    return ticket;
  }

  /** Writes a new ticket, its search document in the same statement. */
  insert(draft: Ticket, search: TicketSearchText): Promise<Ticket> {
    return this.tickets.insert(draft, search);
  }

  /** Writes what the use case changed on a ticket it locked (and a new message's words). */
  save(ticket: Ticket, options: { appendSearchText?: string } = {}): Promise<Ticket> {
    return this.tickets.save(ticket, options);
  }

  markDeleted(ticket: Ticket): Promise<Ticket> {
    return this.tickets.markDeleted(ticket);
  }
}
