import { Body, Controller, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IfMatch, uuidPipe, VersionETagInterceptor, type Actor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { StaffTicketResponse } from 'src/tickets/dto';
import { toStaffTicket } from 'src/tickets/ticket.mappers';
import { EscalateTicketDto } from './dto/escalation.dto';
import { EscalateTicket } from 'src/ticket-workflow/escalate-ticket';

@ApiTags('tickets (staff)')
@Controller('api/v1/admin/tickets/:id/escalate')
export class EscalationsController {
  constructor(private readonly escalateTicket: EscalateTicket) {}

  @Post()
  @Endpoint({
    operationId: 'escalateTicket',
    summary: 'Escalate a ticket',
    access: access.roles('support_manager'),
    audit: 'ticket.escalate',
    problems: [404, 409, 422],
    ifMatch: true,
  })
  @HttpCode(200)
  @UseInterceptors(VersionETagInterceptor)
  @ApiOkResponse({ type: StaffTicketResponse })
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
