import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { uuidPipe, type Actor } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { TimelineResponse } from './timeline.response';
import { TimelineService } from './timeline.service';

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
