import { Body, Controller, Post, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { ApiProblems, type Actor } from '@helpdesk/common';
import { Audited } from 'src/audit/audited.decorator';
import { CurrentActor, Public } from 'src/auth/access.decorators';
import { IdempotencyInterceptor } from 'src/idempotency/idempotency.interceptor';
import { CreatedTicketResponse, CreatePublicTicketDto } from './dto';
import { OpenPublicTicket } from 'src/ticket-workflow/open-public-ticket';
import { TicketViews } from 'src/ticket-workflow/ticket-views';

@ApiTags('tickets (customers)')
@Controller('api/v1/tickets')
export class PublicTicketsController {
  constructor(
    private readonly openPublicTicket: OpenPublicTicket,
    private readonly views: TicketViews,
  ) {}

  /** The public contact form; also takes a customer's bearer token or an API key. */
  @Post()
  @Public()
  @Audited('ticket.create')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '1–255 chars; replays the first response for 24 h',
  })
  @ApiCreatedResponse({ type: CreatedTicketResponse })
  @ApiProblems(400, 401, 409, 422, 429)
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
    });
    // The requester sees their new ticket exactly as the portal will show it to the token holder.
    return { ticket: this.views.openedForCustomer(ticket, message), access_token: accessToken };
  }
}
