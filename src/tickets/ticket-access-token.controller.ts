import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems, uuidPipe, type Actor } from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { CurrentActor, CustomerOrTicketToken, Roles } from 'src/access/access.decorators';
import { TicketAccessTokens, type RotatedTicketToken } from './ticket-access-tokens.service';

export class TicketAccessTokenResponse {
  @ApiProperty({
    example: 'tt_Zm9vYmFy…',
    description: 'The new X-Ticket-Token for this ticket; the previous one no longer works',
  })
  access_token: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
}

function toResponse(rotated: RotatedTicketToken): TicketAccessTokenResponse {
  return { access_token: rotated.accessToken, expires_at: rotated.expiresAt.toISOString() };
}

@ApiTags('tickets (staff)')
@ApiBearerAuth()
@Controller('api/v1/admin/tickets/:id/access-token')
export class AdminTicketAccessTokenController {
  constructor(private readonly tokens: TicketAccessTokens) {}

  /** E.g. when a customer forwarded their link by mistake; give them the new token. */
  @Post('rotate')
  @HttpCode(200)
  @Roles('support')
  @Audited('ticket.access_token.rotate')
  @ApiOkResponse({ type: TicketAccessTokenResponse })
  @ApiProblems(401, 403, 404, 422)
  async rotate(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<TicketAccessTokenResponse> {
    return toResponse(await this.tokens.rotate(actor, id));
  }
}

@ApiTags('portal')
@ApiBearerAuth()
@ApiSecurity('ticket-token')
@Controller('api/v1/portal/tickets/:id/access-token')
export class PortalTicketAccessTokenController {
  constructor(private readonly tokens: TicketAccessTokens) {}

  /** The customer (signed in, or holding the current token) replaces the ticket's token. */
  @Post('rotate')
  @HttpCode(200)
  @CustomerOrTicketToken()
  @Audited('ticket.access_token.rotate')
  @ApiOkResponse({ type: TicketAccessTokenResponse })
  @ApiProblems(401, 403, 404, 422)
  async rotate(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<TicketAccessTokenResponse> {
    return toResponse(await this.tokens.rotate(actor, id));
  }
}
