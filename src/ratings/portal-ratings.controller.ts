import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { uuidPipe, type Actor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { RatingResponse } from 'src/tickets/dto';
import { RateTicketDto, toRatingResponse } from './dto/rating.dto';
import { RatingsService } from './ratings.service';

@ApiTags('portal')
@Controller('api/v1/portal/tickets/:id/rating')
export class PortalRatingsController {
  constructor(private readonly ratings: RatingsService) {}

  /** Rate a resolved or closed ticket; rating again replaces the earlier rating. */
  @Post()
  @Endpoint({
    operationId: 'ratePortalTicket',
    summary: "Rate one's own resolved ticket",
    access: access.customerOrTicketToken(),
    audit: 'ticket.rating',
    problems: [404, 409, 422],
  })
  @HttpCode(200)
  @ApiOkResponse({ type: RatingResponse })
  async rate(
    @Param('id', uuidPipe) id: string,
    @Body() body: RateTicketDto,
    @CurrentActor() actor: Actor,
  ): Promise<RatingResponse> {
    return toRatingResponse(await this.ratings.rateAsCustomer(actor, id, body));
  }
}
