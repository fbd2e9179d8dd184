import { Module } from '@nestjs/common';
import { TicketsModule } from 'src/tickets/tickets.module';
import { AssignmentsService } from './assignments.service';

/** The assignment history; assigning is a use case of src/ticket-workflow/ (which serves the routes). */
@Module({
  imports: [TicketsModule],
  providers: [AssignmentsService],
  exports: [AssignmentsService],
})
export class AssignmentsModule {}
