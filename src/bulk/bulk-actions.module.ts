import { Module } from '@nestjs/common';
import { AssignmentsModule } from 'src/assignments/assignments.module';
import { TicketsModule } from 'src/tickets/tickets.module';
import { BulkActionsController } from './bulk-actions.controller';
import { BulkActionsService } from './bulk-actions.service';
import { EscalationsModule } from 'src/escalations/escalations.module';

@Module({
  imports: [TicketsModule, AssignmentsModule, EscalationsModule],
  controllers: [BulkActionsController],
  providers: [BulkActionsService],
})
export class BulkActionsModule {}
