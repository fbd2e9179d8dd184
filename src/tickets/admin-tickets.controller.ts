import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type Actor, CreatedAt, IfMatch, uuidPipe, VersionETagInterceptor } from '@helpdesk/common';
import { Endpoint } from 'src/access/endpoint.decorator';
import { access, CurrentActor } from 'src/access/access.decorators';
import { IdempotencyInterceptor } from 'src/idempotency/idempotency.interceptor';
import {
  ChangeStatusDto,
  CreateStaffTicketDto,
  StaffTicketDetailResponse,
  StaffTicketPageResponse,
  StaffTicketResponse,
  TicketNumberParams,
  TicketQueryDto,
  UpdateTicketDto,
} from './dto';
import { toTicketListFilter } from './ticket-query.mapper';
import { toStaffTicket } from './ticket.mappers';
import { ChangeTicketStatus } from 'src/ticket-workflow/change-ticket-status';
import { DeleteTicket } from 'src/ticket-workflow/delete-ticket';
import { EditTicket } from 'src/ticket-workflow/edit-ticket';
import { OpenStaffTicket } from 'src/ticket-workflow/open-staff-ticket';
import { TicketViews } from 'src/ticket-workflow/ticket-views';
import { TicketsService } from './tickets.service';

@ApiTags('tickets (staff)')
@Controller('api/v1/admin/tickets')
@UseInterceptors(VersionETagInterceptor)
export class AdminTicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly views: TicketViews,
    private readonly openStaffTicket: OpenStaffTicket,
    private readonly editTicket: EditTicket,
    private readonly changeTicketStatus: ChangeTicketStatus,
    private readonly deleteTicket: DeleteTicket,
  ) {}

  @Get()
  @Endpoint({
    operationId: 'listTickets',
    summary: 'List and search tickets',
    access: access.roles('support'),
    problems: [422],
  })
  @ApiOkResponse({ type: StaffTicketPageResponse })
  async list(
    @Query() query: TicketQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<StaffTicketPageResponse> {
    const page = await this.tickets.list(toTicketListFilter(query, actor));
    return { ...page, items: page.items.map(toStaffTicket) };
  }

  @Post()
  @Endpoint({
    operationId: 'createTicket',
    summary: "Open a ticket on a customer's behalf",
    access: access.roles('support'),
    audit: 'ticket.create',
    problems: [409, 422],
  })
  @CreatedAt('/api/v1/admin/tickets/{id}')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: StaffTicketResponse })
  async create(
    @Body() body: CreateStaffTicketDto,
    @CurrentActor() actor: Actor,
  ): Promise<StaffTicketResponse> {
    return toStaffTicket(
      await this.openStaffTicket.run(actor, {
        requesterEmail: body.requester_email,
        requesterName: body.requester_name,
        subject: body.subject,
        message: body.message,
        priority: body.priority,
        category: body.category,
        tags: body.tags,
        channel: body.channel,
        assigneeId: body.assignee_id,
        customFields: body.custom_fields,
      }),
    );
  }

  @Get(':id')
  @Endpoint({
    operationId: 'getTicket',
    summary: 'A ticket with its detail sections',
    access: access.roles('support'),
    problems: [404, 422],
  })
  @ApiOkResponse({ type: StaffTicketDetailResponse })
  async get(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<StaffTicketDetailResponse> {
    return this.views.staffDetail(await this.tickets.getVisible(actor, id));
  }

  @Get('by-number/:number')
  @Endpoint({
    operationId: 'getTicketByNumber',
    summary: 'A ticket by its number',
    access: access.roles('support'),
    problems: [404, 422],
  })
  @ApiOkResponse({ type: StaffTicketDetailResponse })
  async getByNumber(
    @Param() params: TicketNumberParams,
    @CurrentActor() actor: Actor,
  ): Promise<StaffTicketDetailResponse> {
    return this.views.staffDetail(await this.tickets.getVisibleByNumber(actor, params.number));
  }

  @Patch(':id')
  @Endpoint({
    operationId: 'updateTicket',
    summary: "Edit a ticket's fields",
    access: access.roles('support'),
    audit: 'ticket.update',
    problems: [404, 422],
    ifMatch: true,
  })
  @ApiOkResponse({ type: StaffTicketResponse })
  async update(
    @Param('id', uuidPipe) id: string,
    @Body() body: UpdateTicketDto,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch?: number,
  ): Promise<StaffTicketResponse> {
    return toStaffTicket(
      await this.editTicket.run(
        actor,
        id,
        {
          subject: body.subject,
          category: body.category,
          tags: body.tags,
          customFields: body.custom_fields,
          priority: body.priority,
        },
        ifMatch,
      ),
    );
  }

  @Delete(':id')
  @Endpoint({
    operationId: 'deleteTicket',
    summary: 'Delete a ticket',
    access: access.roles('admin'),
    audit: 'ticket.delete',
    problems: [404, 422],
    ifMatch: true,
  })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted; 404 on every read afterwards' })
  async remove(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch?: number,
  ): Promise<void> {
    await this.deleteTicket.run(actor, id, ifMatch);
  }

  @Patch(':id/status')
  @Endpoint({
    operationId: 'changeTicketStatus',
    summary: 'Move a ticket through the status workflow',
    access: access.roles('support'),
    audit: 'ticket.status.update',
    problems: [404, 409, 422],
    ifMatch: true,
  })
  @ApiOkResponse({ type: StaffTicketResponse })
  async changeStatus(
    @Param('id', uuidPipe) id: string,
    @Body() body: ChangeStatusDto,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch?: number,
  ): Promise<StaffTicketResponse> {
    return toStaffTicket(
      await this.changeTicketStatus.run(actor, id, body.status, {
        resolutionNotes: body.resolution_notes,
        ifMatch,
      }),
    );
  }
}
