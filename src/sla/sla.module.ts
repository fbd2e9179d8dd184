import { Module, type OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '@helpdesk/common';
import { MetricsService } from 'src/metrics/metrics.service';
import { SlaController } from './sla.controller';
import { TicketSlaBreached } from './sla.events';
import { SlaRepository } from './sla.repository';
import { SlaService } from './sla.service';
import { SlaTrackingRepository } from './sla-tracking.repository';
import { TicketSlaTracker } from './ticket-sla.tracker';

/**
 * SLA policies, business hours and the due-time clock (API.md section 10), and the tracker the
 * ticket use cases call to keep a ticket's SLA columns true. The sweep is SlaSweepModule's.
 */
@Module({
  controllers: [SlaController],
  providers: [SlaService, SlaRepository, SlaTrackingRepository, TicketSlaTracker],
  exports: [SlaService, TicketSlaTracker, SlaTrackingRepository],
})
export class SlaModule implements OnModuleInit {
  constructor(
    private readonly domainEvents: DomainEvents,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
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
