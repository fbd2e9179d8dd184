import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { uuidPipe, type Actor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
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
@Controller('api/v1/admin/tickets/:id/access-token')
export class AdminTicketAccessTokenController {
  constructor(private readonly tokens: TicketAccessTokens) {}

  /** E.g. when a customer forwarded their link by mistake; give them the new token. */
  @Post('rotate')
  @Endpoint({
    operationId: 'rotateTicketAccessToken',
    summary: "Replace a ticket's portal token (staff)",
    access: access.roles('support'),
    audit: 'ticket.access_token.rotate',
    problems: [404, 422],
  })
  @HttpCode(200)
  @ApiOkResponse({ type: TicketAccessTokenResponse })
  async rotate(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<TicketAccessTokenResponse> {
    return toResponse(await this.tokens.rotate(actor, id));
  }
}

@ApiTags('portal')
@Controller('api/v1/portal/tickets/:id/access-token')
export class PortalTicketAccessTokenController {
  constructor(private readonly tokens: TicketAccessTokens) {}

  /** The customer (signed in, or holding the current token) replaces the ticket's token. */
  @Post('rotate')
  @Endpoint({
    operationId: 'rotatePortalTicketAccessToken',
    summary: "Replace one's own ticket's portal token",
    access: access.customerOrTicketToken(),
    audit: 'ticket.access_token.rotate',
    problems: [404, 422],
  })
  @HttpCode(200)
  @ApiOkResponse({ type: TicketAccessTokenResponse })
  async rotate(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<TicketAccessTokenResponse> {
    return toResponse(await this.tokens.rotate(actor, id));
  }
}
