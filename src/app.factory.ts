import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger as NestLogger } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import {
  enforceBodyPolicy,
  answerNotModified,
  jsonDepth,
  MalformedRequestError,
  MAX_JSON_DEPTH,
  MethodNotAllowedError,
  PROBLEM_CONTENT_TYPE,
  problemTypeFor,
  requestIdFrom,
  RouteMethods,
  sendProblem,
} from '@helpdesk/common';
import { AppModule } from './app.module';
import { multipartOptions } from './attachments/multipart-options';
import type { AppConfig } from './config/app-config';
import { trustFunction } from './config/client-ip';
import { MetricsService } from './metrics/metrics.service';
import { QuietFrameworkLogger } from './logging';
import { setupOpenApi } from './openapi';
import { SHUTDOWN_SIGNALS } from './runtime/shutdown-signals';
import { registerWebApp } from './web-app/web-app';

/** Builds the HTTP application exactly as production runs it; tests call this too. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Slow-request defences (docs/reliability.md): the whole request, body included, must arrive
    // within REQUEST_TIMEOUT_MS and its headers within HEADERS_TIMEOUT_MS, else 408 and close.
    // Node checks these on an interval (30 s by default, which let slow headers live ~85 s).
    requestTimeout: config.requestTimeoutMs,
    http: {
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: connectionsCheckingIntervalFor(config),
    },
    // The same rule the request context uses for audit IPs (src/config/client-ip.ts).
    trustProxy: trustFunction(config.trustProxy),
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
    // The router rejects a malformed URL (400) or an over-long path parameter before any Nest
    // layer runs; without this Fastify answered its own JSON, not a problem document.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(request, reply, error, new NestLogger('FastifyRouter')),
    // Errors of the HTTP parser itself (431 header overflow, 408, a garbled request line).
    clientErrorHandler: writeClientErrorProblem,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(new QuietFrameworkLogger(app.get(Logger)));
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);

  // A known path with a wrong method is a 405 with Allow, not the router's 404.
  const routeMethods = new RouteMethods();
  fastify.addHook('onRoute', (route) => routeMethods.add(route.method, route.url ?? ''));
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (!request.is404) return;
    const allowed = routeMethods.allowedFor(request.url.split('?')[0]);
    if (allowed.length) throw new MethodNotAllowedError(request.method, allowed);
  });
  // class-transformer and class-validator walk bodies recursively: a body nested thousands of
  // levels deep overflowed the stack (a 500). Refuse it before anything walks it.
  fastify.addHook('preValidation', async (request) => {
    if (jsonDepth(request.body) > MAX_JSON_DEPTH) {
      throw new MalformedRequestError(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`);
    }
  });
  // JSON routes take only JSON (415 otherwise); refused bodies are drained so the client reads the answer.
  enforceBodyPolicy(fastify);
  // A GET whose If-None-Match names the ETag about to be sent answers 304 without the body.
  fastify.addHook('onSend', answerNotModified);
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
    origin: corsOriginCheck(config.corsOrigins),
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
    exposedHeaders: ['X-Request-Id', 'ETag', 'Retry-After', 'Location', 'Idempotent-Replayed'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'If-Match',
      'If-None-Match',
      'Idempotency-Key',
      'X-API-Key',
      'X-Ticket-Token',
      'X-Request-Id',
      'Last-Event-ID',
    ],
  });
  if (config.docsEnabled) setupOpenApi(app);
  registerWebApp(fastify);
  app.enableShutdownHooks(SHUTDOWN_SIGNALS);
  return app;
}

/** How often Node looks for requests past their timeouts: a fraction of the shortest one. */
function connectionsCheckingIntervalFor(config: AppConfig): number {
  const shortest = Math.min(config.requestTimeoutMs, config.headersTimeoutMs);
  return Math.max(50, Math.min(1000, Math.floor(shortest / 4)));
}

/**
 * The CORS origin rule: exact matches from CORS_ORIGINS, or any origin for `*`, but never the
 * opaque `null` origin (sandboxed iframes, file: pages, some redirects), which any page can
 * produce and which therefore proves nothing about who is calling.
 */
export function corsOriginCheck(
  allowed: string[] | 'any',
): (origin: string | undefined, callback: (error: Error | null, allow: boolean) => void) => void {
  const list = new Set(allowed === 'any' ? [] : allowed);
  return (origin, callback) => {
    if (!origin || origin === 'null') return callback(null, false);
    callback(null, allowed === 'any' || list.has(origin));
  };
}

/** Answers HTTP parser errors (before Fastify has a request) with a minimal problem document. */
function writeClientErrorProblem(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, title] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'MALFORMED_REQUEST', 'Request headers too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'MALFORMED_REQUEST', 'Request timeout']
        : [400, 'MALFORMED_REQUEST', 'Malformed request'];
  const body = JSON.stringify({ type: problemTypeFor(code), title, status, code });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
