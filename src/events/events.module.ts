import { Module } from '@nestjs/common';
import { AuthModule } from 'src/auth/auth.module';
import { TicketsModule } from 'src/tickets/tickets.module';
import { EventFeedWriter } from './event-feed.writer';
import { EventSequencer } from './event-sequencer';
import { EventStreamService } from './event-stream.service';
import { EventsController } from './events.controller';
import { EventsMetrics } from './events.metrics';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { StreamCallerCheck } from './stream-caller';

/**
 * The ordered event feed (API.md section 11a): `EventFeedWriter` records feed events in the
 * transaction of each change, `EventSequencer` numbers them after commit, and the feed, the SSE
 * stream and webhooks (which register with the sequencer) all read the one `event` table.
 */
@Module({
  imports: [TicketsModule, AuthModule],
  controllers: [EventsController],
  providers: [
    EventsRepository,
    EventsService,
    EventSequencer,
    EventFeedWriter,
    EventStreamService,
    StreamCallerCheck,
    EventsMetrics,
  ],
  exports: [EventsService, EventSequencer],
})
export class EventsModule {}
