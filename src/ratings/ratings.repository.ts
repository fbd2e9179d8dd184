import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { TicketRating, type RatingSource } from './ticket-rating.entity';

@Injectable()
export class RatingsRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo() {
    return this.txHost.tx.getRepository(TicketRating);
  }

  findForTicket(ticketId: string): Promise<TicketRating | null> {
    return this.repo.findOne({ where: { ticketId } });
  }

  /** Inserts the ticket's rating, or replaces the one it has (one row per ticket). */
  async upsert(input: {
    ticketId: string;
    score: number;
    comment: string | null;
    ratedById: string | null;
    source: RatingSource;
  }): Promise<TicketRating> {
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(TicketRating)
      .values({ ...new TicketRating(), ...input, ratedAt: () => 'now()' })
      .orUpdate(['score', 'comment', 'rated_by_id', 'source', 'rated_at'], ['ticket_id'])
      .execute();
    return (await this.findForTicket(input.ticketId))!;
  }
}
