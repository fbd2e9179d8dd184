import { Module } from '@nestjs/common';
import { TicketsModule } from 'src/tickets/tickets.module';
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
export class RatingsModule {}
