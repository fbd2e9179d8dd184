import { BullModule } from '@nestjs/bull';
import { Module, type OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '@helpdesk/common';
import { MetricsService } from 'src/metrics/metrics.service';
import { TicketsModule } from 'src/tickets/tickets.module';
import { TicketsService } from 'src/tickets/tickets.service';
import { SlaController } from './sla.controller';
import { SLA_QUEUE } from './sla.constants';
import { TicketSlaBreached } from './sla.events';
import { SlaRepository } from './sla.repository';
import { SlaService } from './sla.service';
import { SlaSweepScheduler } from './sla-sweep.scheduler';
import { SlaSweepService } from './sla-sweep.service';
import { SlaTrackingRepository } from './sla-tracking.repository';
import { TicketSlaTracker } from './ticket-sla.tracker';

/**
 * SLA policies, business hours and the due-time clock (API.md section 10), and the tracking of
 * every ticket against them: lifecycle hooks, the sweep, auto-close. SLA depends on tickets;
 * tickets knows nothing of SLA.
 */
@Module({
  imports: [TicketsModule, BullModule.registerQueue({ name: SLA_QUEUE })],
  controllers: [SlaController],
  providers: [
    SlaService,
    SlaRepository,
    SlaTrackingRepository,
    TicketSlaTracker,
    SlaSweepService,
    SlaSweepScheduler,
  ],
  exports: [SlaService, SlaSweepService],
})
export class SlaModule implements OnModuleInit {
  constructor(
    private readonly tickets: TicketsService,
    private readonly tracker: TicketSlaTracker,
    private readonly domainEvents: DomainEvents,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    // Inside the change's transaction, after the ticket row is written.
    this.tickets.registerHooks({
      onCreated: async (ticket) => {
        await this.tracker.started(ticket);
      },
      onPriorityChanged: async (ticket) => {
        await this.tracker.priorityChanged(ticket);
      },
      onStatusChanged: async (ticket) => {
        await this.tracker.statusChanged(ticket);
      },
      onFirstResponse: async (ticket) => {
        await this.tracker.firstResponded(ticket);
      },
    });
    // Counted once the breach has committed (sla_breaches_total{target}).
    this.domainEvents.register({
      name: 'sla-metrics',
      consume: async () => undefined,
      afterCommit: (events) => {
        for (const event of events) {
          if (event instanceof TicketSlaBreached) {
            this.metrics.slaBreaches.inc({ target: event.target });
          }
        }
      },
    });
  }
}
