import { BullModule } from '@nestjs/bull';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { IncomingMessage } from 'node:http';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import {
  CommonModule,
  createValidationPipe,
  CTX_IP,
  CTX_USER_AGENT,
  ProblemFilter,
  requestIdFrom,
  UnitOfWorkInterceptor,
} from '@helpdesk/common';
import { AnalyticsModule } from './analytics/analytics.module';
import { AssignmentsModule } from './assignments/assignments.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuditModule } from './audit/audit.module';
import { TimelineModule } from './audit/timeline/timeline.module';
import { AuthModule } from './auth/auth.module';
import { clientIp, trustFunction } from './config/client-ip';
import { AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source-options';
import { ensureDatabase } from './database/ensure-database';
import { runMigrations } from './database/run-migrations';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { loggerOptions } from './logging';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { TicketNotificationsModule } from './notifications/ticket-notifications.module';
import { MessagesModule } from './messages/messages.module';
import { NotesModule } from './notes/notes.module';
import { RatingsModule } from './ratings/ratings.module';
import { RedisModule } from './redis/redis.module';
import { TicketExportModule } from './ticket-export/ticket-export.module';
import { TicketsModule } from './tickets/tickets.module';
import { SlaModule } from './sla/sla.module';
import { SlaSweepModule } from './sla/sla-sweep.module';
import { TicketWorkflowModule } from './ticket-workflow/ticket-workflow.module';
import { UsersModule } from './users/users.module';
import { WebhooksModule } from './webhooks/webhooks.module';

type RawRequest = IncomingMessage & { id?: string };

@Module({})
export class AppModule {
  /** The whole application for one validated configuration (tests pass their own). */
  static forRoot(config: AppConfig): DynamicModule {
    const trust = trustFunction(config.trustProxy);
    return {
      module: AppModule,
      imports: [
        {
          module: ConfigHolderModule,
          global: true,
          providers: [{ provide: AppConfig, useValue: config }],
          exports: [AppConfig],
        },
        LoggerModule.forRoot(loggerOptions(config)),
        TypeOrmModule.forRootAsync({
          useFactory: async () => {
            // With a migration role, migrations run on a connection of their own, then the
            // runtime role (which owns nothing) connects; without one, as before.
            if (config.databaseMigrationUrl) {
              await runMigrations(config);
              return { ...dataSourceOptions(config), migrationsRun: false };
            }
            await ensureDatabase(config.databaseUrl);
            return { ...dataSourceOptions(config), migrationsRun: true };
          },
        }),
        ClsModule.forRoot({
          global: true,
          middleware: {
            mount: true,
            generateId: true,
            idGenerator: (req: RawRequest) => req.id ?? requestIdFrom(req.headers['x-request-id']),
            setup: (cls, req: RawRequest) => {
              cls.set(CTX_IP, clientIp(req, trust));
              const agent = req.headers['user-agent'];
              cls.set(CTX_USER_AGENT, typeof agent === 'string' ? agent.slice(0, 512) : undefined);
            },
          },
          plugins: [
            new ClsPluginTransactional({
              imports: [TypeOrmModule],
              adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: DataSource }),
            }),
          ],
        }),
        BullModule.forRoot({ redis: config.redisUrl, prefix: `${config.redisPrefix}:bull` }),
        CommonModule,
        RedisModule,
        MetricsModule,
        UsersModule,
        AuthModule,
        AuditModule,
        NotificationsModule,
        SlaModule,
        HealthModule,
        IdempotencyModule,
        TicketsModule,
        TicketWorkflowModule,
        SlaSweepModule,
        MessagesModule,
        NotesModule,
        AssignmentsModule,
        TicketNotificationsModule,
        TimelineModule,
        EventsModule,
        WebhooksModule,
        AttachmentsModule,
        RatingsModule,
        AnalyticsModule,
        TicketExportModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useExisting: UnitOfWorkInterceptor },
      ],
    };
  }
}

@Module({})
class ConfigHolderModule {}
