import { Module, type OnModuleInit } from '@nestjs/common';
import { TicketsModule } from 'src/tickets/tickets.module';
import { TicketsService } from 'src/tickets/tickets.service';
import { AssignmentsController } from './assignments.controller';
import { AssignmentsService } from './assignments.service';

@Module({
  imports: [TicketsModule],
  controllers: [AssignmentsController],
  providers: [AssignmentsService],
  exports: [AssignmentsService],
})
export class AssignmentsModule implements OnModuleInit {
  constructor(
    private readonly tickets: TicketsService,
    private readonly assignments: AssignmentsService,
  ) {}

  onModuleInit(): void {
    // A ticket created with an assignee starts its history with that assignment.
    this.tickets.registerHooks({
      onCreated: async (ticket, opening) => {
        if (ticket.assigneeId)
          await this.assignments.recordChange(
            ticket.id,
            null,
            ticket.assigneeId,
            opening.actor,
            null,
          );
      },
    });
  }
}
