import { Body, Controller, Get, Param, Patch, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ApiProblems,
  IfMatch,
  uuidPipe,
  VersionETagInterceptor,
  type Actor,
} from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { CurrentActor, Roles } from 'src/access/access.decorators';
import { StaffTicketResponse } from 'src/tickets/dto';
import { toStaffTicket } from 'src/tickets/ticket.mappers';
import { AssignTicket } from 'src/ticket-workflow/assign-ticket';
import { AssignmentsService } from './assignments.service';
import { AssignDto, AssignmentListResponse, toAssignmentResponse } from './dto/assignment.dto';

@ApiTags('assignments')
@ApiBearerAuth()
@Controller('api/v1/admin/tickets/:id')
@Roles('support')
export class AssignmentsController {
  constructor(
    private readonly assignTicket: AssignTicket,
    private readonly assignments: AssignmentsService,
  ) {}

  @Patch('assignee')
  @Audited('ticket.assignee.update')
  @UseInterceptors(VersionETagInterceptor)
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: StaffTicketResponse })
  @ApiProblems(401, 403, 404, 409, 412, 422)
  async assign(
    @Param('id', uuidPipe) id: string,
    @Body() body: AssignDto,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch?: number,
  ): Promise<StaffTicketResponse> {
    return toStaffTicket(
      await this.assignTicket.run(actor, id, body.assignee_id, body.reason ?? null, ifMatch),
    );
  }

  @Get('assignments')
  @ApiOkResponse({ type: AssignmentListResponse })
  @ApiProblems(401, 403, 404, 422)
  async history(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<AssignmentListResponse> {
    return { items: (await this.assignments.historyOf(actor, id)).map(toAssignmentResponse) };
  }
}
