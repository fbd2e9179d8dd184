import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems, uuidPipe, type Actor } from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { CurrentActor, CustomerOrTicketToken } from 'src/access/access.decorators';
import { RatingResponse } from 'src/tickets/dto';
import { RateTicketDto, toRatingResponse } from './dto/rating.dto';
import { RatingsService } from './ratings.service';

@ApiTags('portal')
@ApiBearerAuth()
@ApiSecurity('ticket-token')
@Controller('api/v1/portal/tickets/:id/rating')
export class PortalRatingsController {
  constructor(private readonly ratings: RatingsService) {}

  /** Rate a resolved or closed ticket; rating again replaces the earlier rating. */
  @Post()
  @HttpCode(200)
  @CustomerOrTicketToken()
  @Audited('ticket.rating')
  @ApiOkResponse({ type: RatingResponse })
  @ApiProblems(401, 404, 409, 422)
  async rate(
    @Param('id', uuidPipe) id: string,
    @Body() body: RateTicketDto,
    @CurrentActor() actor: Actor,
  ): Promise<RatingResponse> {
    return toRatingResponse(await this.ratings.rateAsCustomer(actor, id, body));
  }
}
