import { Body, Controller, Get, Param, Patch, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IfMatch, uuidPipe, VersionETagInterceptor, type Actor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { StaffTicketResponse } from 'src/tickets/dto';
import { toStaffTicket } from 'src/tickets/ticket.mappers';
import { AssignTicket } from 'src/ticket-workflow/assign-ticket';
import { AssignmentsService } from './assignments.service';
import { AssignDto, AssignmentListResponse, toAssignmentResponse } from './dto/assignment.dto';

@ApiTags('assignments')
@Controller('api/v1/admin/tickets/:id')
export class AssignmentsController {
  constructor(
    private readonly assignTicket: AssignTicket,
    private readonly assignments: AssignmentsService,
  ) {}

  @Patch('assignee')
  @Endpoint({
    operationId: 'assignTicket',
    summary: 'Assign a ticket to an agent, or unassign it',
    access: access.roles('support'),
    audit: 'ticket.assignee.update',
    problems: [404, 409, 422],
    ifMatch: true,
  })
  @UseInterceptors(VersionETagInterceptor)
  @ApiOkResponse({ type: StaffTicketResponse })
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
  @Endpoint({
    operationId: 'listTicketAssignments',
    summary: "A ticket's assignee history",
    access: access.roles('support'),
    problems: [404, 422],
  })
  @ApiOkResponse({ type: AssignmentListResponse })
  async history(
    @Param('id', uuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<AssignmentListResponse> {
    return { items: (await this.assignments.historyOf(actor, id)).map(toAssignmentResponse) };
  }
}
