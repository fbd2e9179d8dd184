import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { access } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { EventPageResponse, EventQueryDto, EventTypesQueryDto } from './dto/event.dto';
import { EventStreamService } from './event-stream.service';
import { EventsService, parseLastEventId } from './events.service';

@ApiTags('events')
@Controller('api/v1/admin/events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly streams: EventStreamService,
  ) {}

  @Get()
  @Endpoint({
    operationId: 'listEvents',
    summary: 'Read the ordered event feed',
    access: access.roles('support_manager'),
    problems: [422],
  })
  @ApiOkResponse({ type: EventPageResponse })
  list(@Query() query: EventQueryDto): Promise<EventPageResponse> {
    return this.events.page(query);
  }

  @Get('stream')
  @Endpoint({
    operationId: 'streamEvents',
    summary: 'Follow the event feed as Server-Sent Events',
    access: access.roles('support'),
    problems: [422, 429],
  })
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
