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
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  type Actor,
  ApiProblems,
  CreatedAt,
  IfMatch,
  uuidPipe,
  VersionETagInterceptor,
} from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { CurrentActor, Roles } from 'src/access/access.decorators';
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

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'The ETag of the version you edited, e.g. "3"; 412 when stale',
};

@ApiTags('tickets (staff)')
@ApiBearerAuth()
@Controller('api/v1/admin/tickets')
@Roles('support')
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
  @ApiOkResponse({ type: StaffTicketPageResponse })
  @ApiProblems(401, 403, 422)
  async list(
    @Query() query: TicketQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<StaffTicketPageResponse> {
    const page = await this.tickets.list(toTicketListFilter(query, actor));
    return { ...page, items: page.items.map(toStaffTicket) };
  }

  @Post()
  @CreatedAt('/api/v1/admin/tickets/{id}')
  @Audited('ticket.create')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: StaffTicketResponse })
  @ApiProblems(401, 403, 409, 422)
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
  @ApiOkResponse({ type: StaffTicketDetailResponse })
  @ApiProblems(401, 403, 404, 422)
  async get(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<StaffTicketDetailResponse> {
    return this.views.staffDetail(await this.tickets.getVisible(actor, id));
  }

  @Get('by-number/:number')
  @ApiOkResponse({ type: StaffTicketDetailResponse })
  @ApiProblems(401, 403, 404, 422)
  async getByNumber(
    @Param() params: TicketNumberParams,
    @CurrentActor() actor: Actor,
  ): Promise<StaffTicketDetailResponse> {
    return this.views.staffDetail(await this.tickets.getVisibleByNumber(actor, params.number));
  }

  @Patch(':id')
  @Audited('ticket.update')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: StaffTicketResponse })
  @ApiProblems(401, 403, 404, 412, 422)
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
  @HttpCode(204)
  @Roles('admin')
  @Audited('ticket.delete')
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse({ description: 'Deleted; 404 on every read afterwards' })
  @ApiProblems(401, 403, 404, 412, 422)
  async remove(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch?: number,
  ): Promise<void> {
    await this.deleteTicket.run(actor, id, ifMatch);
  }

  @Patch(':id/status')
  @Audited('ticket.status.update')
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: StaffTicketResponse })
  @ApiProblems(401, 403, 404, 409, 412, 422)
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
