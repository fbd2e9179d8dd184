import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { uuidPipe, type Actor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
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
@Controller('api/v1/admin/tickets/:id/timeline')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get()
  @Endpoint({
    operationId: 'getTicketTimeline',
    summary: "A ticket's timeline: messages, notes and audited changes",
    access: access.roles('support'),
    problems: [404, 422],
  })
  @ApiOkResponse({ type: TimelineResponse })
  get(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Actor): Promise<TimelineResponse> {
    return this.timeline.forTicket(actor, id);
  }
}
