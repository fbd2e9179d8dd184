import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiProblems, uuidPipe, type Actor } from '@helpdesk/common';
import { CurrentActor, CustomerOrTicketToken, Roles } from 'src/access/access.decorators';
import { CustomerTicketPageResponse, CustomerTicketResponse, PortalTicketQueryDto } from './dto';
import { toCustomerTicket } from './ticket.mappers';
import { TicketViews } from 'src/ticket-workflow/ticket-views';
import { TicketsService } from './tickets.service';

@ApiTags('portal')
@ApiBearerAuth()
@Controller('api/v1/portal/tickets')
export class PortalTicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly views: TicketViews,
  ) {}

  @Get()
  @Roles('customer')
  @ApiOkResponse({ type: CustomerTicketPageResponse })
  @ApiProblems(401, 403, 422)
  async list(
    @Query() query: PortalTicketQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<CustomerTicketPageResponse> {
    const page = await this.tickets.listForRequester(actor.id!, query.status, query);
    return { ...page, items: page.items.map((ticket) => toCustomerTicket(ticket)) };
  }

  @Get(':id')
  @CustomerOrTicketToken()
  @ApiSecurity('ticket-token')
  @ApiOkResponse({ type: CustomerTicketResponse })
  @ApiProblems(401, 404, 422)
  async get(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<CustomerTicketResponse> {
    return this.views.customerDetail(await this.tickets.getVisible(actor, id));
  }
}
