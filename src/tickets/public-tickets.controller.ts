import { Body, Controller, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { type Actor, CreatedAt } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { IdempotencyInterceptor } from 'src/idempotency/idempotency.interceptor';
import { OpenPublicTicket } from 'src/ticket-workflow/open-public-ticket';
import { TicketViews } from 'src/ticket-workflow/ticket-views';
import { echoOnlyWhatWasSent } from './anonymous-intake-echo';
import { CreatedTicketResponse, CreatePublicTicketDto } from './dto';
import { IntakeRateLimitGuard } from './intake-rate-limit.guard';

@ApiTags('tickets (customers)')
@Controller('api/v1/tickets')
export class PublicTicketsController {
  constructor(
    private readonly openPublicTicket: OpenPublicTicket,
    private readonly views: TicketViews,
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
  @CreatedAt('/api/v1/portal/tickets/{ticket.id}')
  @UseGuards(IntakeRateLimitGuard)
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
    const { ticket, message, accessToken } = await this.openPublicTicket.run(actor, {
      name: body.name,
      email: body.email,
      phoneNumber: body.phone_number,
      subject: body.subject,
      message: body.message,
      category: body.category,
      priority: body.priority,
      customFields: body.custom_fields,
      externalUserId: body.external_user_id,
      organization: body.organization,
    });
    // The requester sees their new ticket exactly as the portal will show it to the token holder.
    const detail = this.views.openedForCustomer(ticket, message);
    return {
      ticket: actor ? detail : echoOnlyWhatWasSent(detail, body),
      access_token: accessToken,
    };
  }
}
