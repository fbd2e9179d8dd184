import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { uuidPipe, type Actor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { CustomerTicketPageResponse, CustomerTicketResponse, PortalTicketQueryDto } from './dto';
import { toCustomerTicket } from './ticket.mappers';
import { TicketViews } from 'src/ticket-workflow/ticket-views';
import { TicketsService } from './tickets.service';

@ApiTags('portal')
@Controller('api/v1/portal/tickets')
export class PortalTicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly views: TicketViews,
  ) {}

  @Get()
  @Endpoint({
    operationId: 'listPortalTickets',
    summary: "The calling customer's tickets",
    access: access.roles('customer'),
    problems: [422],
  })
  @ApiOkResponse({ type: CustomerTicketPageResponse })
  async list(
    @Query() query: PortalTicketQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<CustomerTicketPageResponse> {
    const page = await this.tickets.listForRequester(actor.id!, query.status, query);
    return { ...page, items: page.items.map((ticket) => toCustomerTicket(ticket)) };
  }

  @Get(':id')
  @Endpoint({
    operationId: 'getPortalTicket',
    summary: "One of the customer's tickets (or the token's ticket)",
    access: access.customerOrTicketToken(),
    problems: [404, 422],
  })
  @ApiOkResponse({ type: CustomerTicketResponse })
  async get(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<CustomerTicketResponse> {
    return this.views.customerDetail(await this.tickets.getVisible(actor, id));
  }
}
