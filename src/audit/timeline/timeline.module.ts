import { Module } from '@nestjs/common';
import { TicketsModule } from 'src/tickets/tickets.module';
import { UsersModule } from 'src/users/users.module';
import { AuditModule } from '../audit.module';
import { TimelineController } from './timeline.controller';
import { TimelineService } from './timeline.service';

/** `GET /admin/tickets/{id}/timeline`: reads tickets and the audit log, so it sits above both. */
@Module({
  imports: [AuditModule, TicketsModule, UsersModule],
  controllers: [TimelineController],
  providers: [TimelineService],
})
export class TimelineModule {}
