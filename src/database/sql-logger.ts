import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * What TypeORM reports (failed statements, warnings, migrations) written through the app's
 * logger, never with the statement's parameters: those are request data — emails, names,
 * message bodies, token hashes — and TypeORM's console logger printed them verbatim.
 * Values PostgreSQL quotes in an error message (`invalid input syntax for type uuid: "…"`)
 * are masked the same way. DATABASE_LOG_QUERIES=true (never in production) keeps TypeORM's
 * own logger, which the bench's SQL capture reads.
 */
export class SqlLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('SQL');

  logQuery(): void {
    // Only DATABASE_LOG_QUERIES logs every statement, and it uses TypeORM's own logger.
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown[] | object): void {
    const code = (error as { code?: unknown }).code;
    const message = redactQuoted(error instanceof Error ? error.message : String(error));
    this.logger.error(
      `query failed${typeof code === 'string' ? ` (${code})` : ''}: ${message} — ${shorten(query)}` +
        ` [${countOf(parameters)} parameter(s) not logged]`,
    );
  }

  logQuerySlow(time: number, query: string, parameters?: unknown[] | object): void {
    this.logger.warn(
      `slow query (${time} ms): ${shorten(query)} [${countOf(parameters)} parameter(s) not logged]`,
    );
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = redactQuoted(String(message));
    if (level === 'warn') this.logger.warn(text);
    else this.logger.log(text);
  }
}

/** Masks every double-quoted run in a server message (values and identifiers alike). */
export function redactQuoted(message: string): string {
  return message.replace(/"[^"]*"/g, '"***"');
}

function shorten(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > 500 ? `${flat.slice(0, 500)}…` : flat;
}

function countOf(parameters: unknown[] | object | undefined): number {
  if (!parameters) return 0;
  return Array.isArray(parameters) ? parameters.length : Object.keys(parameters).length;
}
