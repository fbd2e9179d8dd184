import { Module, type OnModuleInit } from '@nestjs/common';
import { TicketDetailRegistry } from 'src/tickets/ticket-detail.registry';
import { TicketsModule } from 'src/tickets/tickets.module';
import { toRatingResponse } from './dto/rating.dto';
import { PortalRatingsController } from './portal-ratings.controller';
import { RatingLinks } from './rating-links';
import { RatingLinksController } from './rating-links.controller';
import { RatingsRepository } from './ratings.repository';
import { RatingsService } from './ratings.service';

/** CSAT: customers rate resolved/closed tickets from the portal or a signed email link. */
@Module({
  imports: [TicketsModule],
  controllers: [PortalRatingsController, RatingLinksController],
  providers: [RatingsService, RatingsRepository, RatingLinks],
  // RatingLinks: the notifications module puts `linkFor(ticketId)` in the resolution email.
  exports: [RatingsService, RatingLinks],
})
export class RatingsModule implements OnModuleInit {
  constructor(
    private readonly registry: TicketDetailRegistry,
    private readonly ratings: RatingsService,
  ) {}

  onModuleInit(): void {
    // The rating is the customer's own words about their ticket: both audiences see it.
    this.registry.register({
      section: 'rating',
      audiences: ['customer', 'staff'],
      contribute: async (ticket) => {
        const rating = await this.ratings.forTicket(ticket.id);
        return rating ? toRatingResponse(rating) : null;
      },
    });
  }
}
