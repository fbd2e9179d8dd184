import { Body, Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
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
import { EscalateTicketDto } from './dto/escalation.dto';
import { EscalateTicket } from 'src/ticket-workflow/escalate-ticket';

@ApiTags('tickets (staff)')
@ApiBearerAuth()
@Controller('api/v1/admin/tickets/:id/escalate')
@Roles('support_manager')
export class EscalationsController {
  constructor(private readonly escalateTicket: EscalateTicket) {}

  @Post()
  @HttpCode(200)
  @Audited('ticket.escalate')
  @UseInterceptors(VersionETagInterceptor)
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: StaffTicketResponse })
  @ApiProblems(401, 403, 404, 409, 412, 422)
  async escalate(
    @Param('id', uuidPipe) id: string,
    @Body() body: EscalateTicketDto,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch?: number,
  ): Promise<StaffTicketResponse> {
    return toStaffTicket(
      await this.escalateTicket.run(
        actor,
        id,
        { reason: body.reason, notifyEmail: body.notify_email },
        ifMatch,
      ),
    );
  }
}
