import { Module } from '@nestjs/common';
import { TicketExportController } from './ticket-export.controller';
import { TicketExportRepository } from './ticket-export.repository';
import { TicketExportService } from './ticket-export.service';

/** Admin CSV export of tickets, with the staff list's filters. */
@Module({
  controllers: [TicketExportController],
  providers: [TicketExportService, TicketExportRepository],
})
export class TicketExportModule {}
