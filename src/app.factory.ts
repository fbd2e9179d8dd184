import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';
import { requestIdFrom } from '@helpdesk/common';
import { AppModule } from './app.module';
import { multipartOptions } from './attachments/multipart-options';
import type { AppConfig } from './config/app-config';
import { MetricsService } from './metrics/metrics.service';
import { setupOpenApi } from './openapi';

/** Builds the HTTP application exactly as production runs it; tests call this too. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: process.env.TRUST_PROXY === 'true',
    // One id per request, echoed from X-Request-Id when sane; stored on the raw request so the
    // logger and the request context (which see only the raw request) use the same id.
    genReqId: (raw: IncomingMessage) => {
      const id = requestIdFrom(raw.headers['x-request-id']);
      (raw as IncomingMessage & { id?: string }).id = id;
      return id;
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // multipart/form-data for attachment uploads: the adapter registers @fastify/multipart with
    // these limits; AttachmentIntake streams the parts itself (nothing buffered or spooled).
    multipart: multipartOptions(config),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);

  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(helmet, {
    // The docs UI needs inline scripts and styles; everything else keeps helmet's defaults.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
      },
    },
  });
  app.enableCors({
    origin: config.corsOrigins,
    exposedHeaders: ['X-Request-Id', 'ETag', 'Retry-After', 'Location'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'If-Match',
      'Idempotency-Key',
      'X-API-Key',
      'X-Ticket-Token',
      'X-Request-Id',
      'Last-Event-ID',
    ],
  });
  setupOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
