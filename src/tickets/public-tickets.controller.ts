import { Body, Controller, Post, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { type Actor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { IdempotencyInterceptor } from 'src/idempotency/idempotency.interceptor';
import { CreatedTicketResponse, CreatePublicTicketDto } from './dto';
import { TicketViewsService } from './ticket-views.service';
import { TicketsService } from './tickets.service';

@ApiTags('tickets (customers)')
@Controller('api/v1/tickets')
export class PublicTicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly views: TicketViewsService,
  ) {}

  /** The public contact form; also takes a customer's bearer token or an API key. */
  @Post()
  @Endpoint({
    operationId: 'submitTicket',
    summary: 'Open a ticket (public intake form or integration)',
    access: access.public(),
    audit: 'ticket.create',
    problems: [400, 401, 409, 422, 429],
  })
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '1–255 chars; replays the first response for 24 h',
  })
  @ApiCreatedResponse({ type: CreatedTicketResponse })
  async create(
    @Body() body: CreatePublicTicketDto,
    @CurrentActor() actor: Actor | null,
  ): Promise<CreatedTicketResponse> {
    const { ticket, accessToken } = await this.tickets.createFromIntake(actor, {
      name: body.name,
      email: body.email,
      phoneNumber: body.phone_number,
      subject: body.subject,
      message: body.message,
      category: body.category,
      priority: body.priority,
      customFields: body.custom_fields,
      externalUserId: body.external_user_id,
    });
    // The requester sees their new ticket exactly as the portal will show it to the token holder.
    const tokenHolder: Actor = {
      type: 'ticket_token',
      id: ticket.id,
      role: null,
      ticketId: ticket.id,
    };
    return {
      ticket: await this.views.customerDetail(tokenHolder, ticket),
      access_token: accessToken,
    };
  }
}
