import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_SCHEMA_REF, problemDescription, ProblemResponse } from '@helpdesk/common';
import { AppConfig } from './config/app-config';
import { EscalationResponse } from './escalations/dto/escalation.dto';
import { NoteResponse } from './notes/dto/note.dto';
import { refineDocument } from './openapi-refine';

/**
 * The OpenAPI document as `/docs-json` serves it (also what `npm run test:contract` dumps, and
 * what the web client is generated from at build time).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = app.get(AppConfig);
  const builder = new DocumentBuilder()
    .setTitle('Helpdesk API')
    .setDescription(
      'API-first helpdesk backend. Errors are RFC 9457 problem documents (application/problem+json).',
    )
    .setVersion('1.0')
    .addServer(config.publicUrl, 'This deployment (PUBLIC_URL)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description: 'An integration key (staff role), from POST /api/v1/admin/api-keys',
      },
      'api-key',
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Ticket-Token',
        description: 'A ticket’s portal token, from its intake answer or emails',
      },
      'ticket-token',
    )
    .build();
  const document = SwaggerModule.createDocument(app, builder, {
    extraModels: [ProblemResponse, NoteResponse, EscalationResponse],
  });
  return refineDocument(document, { problemRef: PROBLEM_SCHEMA_REF, problemDescription });
}

/** The web build's name for the same document (src/web-app/export-openapi.ts). */
export const createOpenApiDocument = buildOpenApiDocument;

/** `/docs` (interactive UI) and `/docs-json` (the OpenAPI document). */
export function setupOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
