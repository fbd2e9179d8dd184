import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, uuidPipe, type Actor } from '@helpdesk/common';
import { CurrentActor, Roles } from 'src/access/access.decorators';
import { TimelineResponse } from './timeline.response';
import { TimelineService } from './timeline.service';

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
