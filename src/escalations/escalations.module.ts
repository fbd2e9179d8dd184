import { Module, type OnModuleInit } from '@nestjs/common';
import { TicketDetailRegistry } from 'src/tickets/ticket-detail.registry';
import { TicketsModule } from 'src/tickets/tickets.module';
import { toEscalationResponse } from './dto/escalation.dto';
import { EscalationsController } from './escalations.controller';
import { EscalationsService } from './escalations.service';

@Module({
  imports: [TicketsModule],
  controllers: [EscalationsController],
  providers: [EscalationsService],
  exports: [EscalationsService],
})
export class EscalationsModule implements OnModuleInit {
  constructor(private readonly registry: TicketDetailRegistry) {}

  onModuleInit(): void {
    // The reason is internal (managers wrote it for managers): staff audience only.
    this.registry.register({
      section: 'escalation',
      audiences: ['staff'],
      contribute: async (ticket) => toEscalationResponse(ticket),
    });
  }
}
