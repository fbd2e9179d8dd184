import { Module } from '@nestjs/common';
import { SlaModule } from 'src/sla/sla.module';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';

/** Read-only manager analytics over tickets and ratings (docs/analytics.md). */
@Module({
  imports: [SlaModule],
  controllers: [AnalyticsController],
  providers: [AnalyticsService, AnalyticsRepository],
})
export class AnalyticsModule {}
