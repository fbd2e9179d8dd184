import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import { createOpenApiDocument } from '../openapi';

/**
 * Writes the OpenAPI document `/docs-json` serves to a file, without a database or Redis: the
 * application graph is built in preview mode (no provider is instantiated, nothing connects).
 * The web client's types are generated from this file, so a contract change breaks `npm run build`.
 * Usage: node dist/src/web-app/export-openapi.js <out.json>
 */
async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'web/generated/openapi.json');
  const app = await NestFactory.create(AppModule.forRoot(loadConfig()), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  const document = createOpenApiDocument(app);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(document, null, 2) + '\n');
  await app.close();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
