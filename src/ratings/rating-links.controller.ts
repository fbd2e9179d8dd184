import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { access } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { RatingResponse } from 'src/tickets/dto';
import { RateTicketDto, RatingLinkResponse, toRatingResponse } from './dto/rating.dto';
import { RatingsService } from './ratings.service';

const TOKEN_PARAM = {
  name: 'token',
  description: 'The signed token of the rating link in the resolution email',
};

/**
 * The signed rating link of the resolution email: works without signing in, for one ticket,
 * until it expires. Anonymous calls are rate limited like every public route.
 */
@ApiTags('tickets (customers)')
@Controller('api/v1/ratings/:token')
export class RatingLinksController {
  constructor(private readonly ratings: RatingsService) {}

  @Get()
  @Endpoint({
    operationId: 'getRatingLink',
    summary: 'What a signed rating link rates',
    access: access.public(),
    problems: [401, 404, 429],
  })
  @ApiParam(TOKEN_PARAM)
  @ApiOkResponse({ type: RatingLinkResponse })
  async describe(@Param('token') token: string): Promise<RatingLinkResponse> {
    const { ticket, rating, rateable, expiresAt } = await this.ratings.describeLink(token);
    return {
      ticket: {
        number: ticket.number,
        subject: ticket.subject,
        status: ticket.status,
        resolved_at: ticket.resolvedAt?.toISOString() ?? null,
      },
      rating: rating ? toRatingResponse(rating) : null,
      can_rate: rateable,
      expires_at: expiresAt.toISOString(),
    };
  }

  @Post()
  @Endpoint({
    operationId: 'rateByLink',
    summary: 'Rate a ticket through a signed rating link',
    access: access.public(),
    audit: 'ticket.rating',
    problems: [401, 404, 409, 422, 429],
  })
  @HttpCode(200)
  @ApiParam(TOKEN_PARAM)
  @ApiOkResponse({ type: RatingResponse })
  async rate(@Param('token') token: string, @Body() body: RateTicketDto): Promise<RatingResponse> {
    return toRatingResponse(await this.ratings.rateByLink(token, body));
  }
}
