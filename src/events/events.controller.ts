import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems } from '@helpdesk/common';
import { Roles } from 'src/access/access.decorators';
import { EventPageResponse, EventQueryDto, EventTypesQueryDto } from './dto/event.dto';
import { EventStreamService } from './event-stream.service';
import { EventsService, parseLastEventId } from './events.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller('api/v1/admin/events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly streams: EventStreamService,
  ) {}

  @Get()
  @Roles('support_manager')
  @ApiOkResponse({ type: EventPageResponse })
  @ApiProblems(401, 403, 422)
  list(@Query() query: EventQueryDto): Promise<EventPageResponse> {
    return this.events.page(query);
  }

  @Get('stream')
  @Roles('support')
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume right after this sequence; without it the stream starts at the present',
  })
  @ApiOkResponse({
    description:
      'Server-Sent Events: `id: <sequence>`, `event: <type>`, `data: <event JSON>` per event. ' +
      'When the caller may no longer read it (token expired, user deactivated, key or session ' +
      'revoked), a last `event: stream.closed` with `data: {code, detail}` and the stream ends.',
  })
  @ApiProblems(401, 403, 422, 429)
  stream(
    @Query() query: EventTypesQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.streams.open(reply, {
      lastEventId: parseLastEventId(lastEventId),
      types: query.types,
    });
  }
}
