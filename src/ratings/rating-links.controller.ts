import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { Public } from 'src/access/access.decorators';
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
  @Public()
  @ApiParam(TOKEN_PARAM)
  @ApiOkResponse({ type: RatingLinkResponse })
  @ApiProblems(401, 404, 429)
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
  @HttpCode(200)
  @Public()
  @Audited('ticket.rating')
  @ApiParam(TOKEN_PARAM)
  @ApiOkResponse({ type: RatingResponse })
  @ApiProblems(401, 404, 409, 422, 429)
  async rate(@Param('token') token: string, @Body() body: RateTicketDto): Promise<RatingResponse> {
    return toRatingResponse(await this.ratings.rateByLink(token, body));
  }
}
