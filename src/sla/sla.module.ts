import { Module } from '@nestjs/common';
import { SlaController } from './sla.controller';
import { SlaRepository } from './sla.repository';
import { SlaService } from './sla.service';

/** SLA policies, business hours and the due-time clock (API.md section 10). */
@Module({
  controllers: [SlaController],
  providers: [SlaService, SlaRepository],
  exports: [SlaService],
})
export class SlaModule {}
