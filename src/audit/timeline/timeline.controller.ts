import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiProblems, uuidPipe, type Actor } from '@helpdesk/common';
import { CurrentActor, Roles } from 'src/auth/access.decorators';
import { AuditEntryResponse } from '../dto/audit-log.response';
import { TimelineService } from './timeline.service';

export class TimelineResponse {
  @ApiProperty({
    example:
      'Opened by Ada Lovelace via web on 2026-11-21 09:30 UTC; assigned to Grace Hopper; replied 2 times; resolved on 2026-11-21 11:00 UTC.',
  })
  summary: string;

  @ApiProperty({
    type: [AuditEntryResponse],
    description: 'The ticket’s audit entries, oldest first',
  })
  events: AuditEntryResponse[];
}

@ApiTags('tickets (staff)')
@ApiBearerAuth()
@Controller('api/v1/admin/tickets/:id/timeline')
@Roles('support')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get()
  @ApiOkResponse({ type: TimelineResponse })
  @ApiProblems(401, 403, 404, 422)
  get(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Actor): Promise<TimelineResponse> {
    return this.timeline.forTicket(actor, id);
  }
}
