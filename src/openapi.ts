import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ProblemResponse } from '@helpdesk/common';

/** The OpenAPI document served at `/docs-json` (also written at build time for the web client). */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Helpdesk API')
    .setDescription(
      'API-first helpdesk backend. Errors are RFC 9457 problem documents (application/problem+json).',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Ticket-Token' }, 'ticket-token')
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ProblemResponse] });
}

/** `/docs` (interactive UI) and `/docs-json` (the OpenAPI document). */
export function setupOpenApi(app: NestFastifyApplication): void {
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
