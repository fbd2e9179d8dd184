import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TicketWorkflowModule } from 'src/ticket-workflow/ticket-workflow.module';
import { TicketsModule } from 'src/tickets/tickets.module';
import { SLA_QUEUE } from './sla.constants';
import { SlaModule } from './sla.module';
import { SlaSweepScheduler } from './sla-sweep.scheduler';
import { SlaSweepService } from './sla-sweep.service';

/** The SLA sweep (rechecks due tickets) and its schedule; auto-close is a workflow use case. */
@Module({
  imports: [
    SlaModule,
    TicketsModule,
    TicketWorkflowModule,
    BullModule.registerQueue({ name: SLA_QUEUE }),
  ],
  providers: [SlaSweepService, SlaSweepScheduler],
  exports: [SlaSweepService],
})
export class SlaSweepModule {}
