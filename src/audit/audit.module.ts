import { Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { AuditKeyring } from './audit-chain';
import { AuditLogsController } from './audit-logs.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditWriter } from './audit.writer';

/**
 * The audit log: writes an entry for every audited domain event inside the unit of work that
 * recorded it, serves the admin list and the integrity check, and lends entries to timelines.
 */
@Module({
  controllers: [AuditLogsController],
  providers: [
    {
      provide: AuditKeyring,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new AuditKeyring(config.auditHmacKey, config.auditHmacPreviousKeys),
    },
    AuditRepository,
    AuditService,
    AuditWriter,
  ],
  exports: [AuditService],
})
export class AuditModule {}
