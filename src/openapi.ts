import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ProblemResponse } from '@helpdesk/common';

/** `/docs` (interactive UI) and `/docs-json` (the OpenAPI document). */
export function setupOpenApi(app: NestFastifyApplication): void {
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
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemResponse] });
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
