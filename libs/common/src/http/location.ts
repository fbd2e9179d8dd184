import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';

export const LOCATION_TEMPLATE = 'http.location';

/**
 * The `Location` of what a `201` created (RFC 9110 section 10.2.2), built from a template:
 * `:name` is the route's path parameter, `{a.b}` a field of the response body. For example
 * `@CreatedAt('/api/v1/admin/tickets/{id}')` or `@CreatedAt('/api/v1/admin/tickets/:id/notes/{id}')`.
 * A test checks that every route answering 201 declares one.
 */
export const CreatedAt = (template: string) =>
  applyDecorators(SetMetadata(LOCATION_TEMPLATE, template), UseInterceptors(LocationInterceptor));

@Injectable()
export class LocationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const template = this.reflector.get<string | undefined>(
      LOCATION_TEMPLATE,
      context.getHandler(),
    );
    const http = context.switchToHttp();
    const params = (http.getRequest<FastifyRequest>().params ?? {}) as Record<string, string>;
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: unknown) => {
        const location = template && locationOf(template, params, body);
        if (location) reply.header('Location', location);
        return body;
      }),
    );
  }
}

/** The template filled in, or null when a part is missing (nothing is better than a wrong URL). */
export function locationOf(
  template: string,
  params: Record<string, string>,
  body: unknown,
): string | null {
  let missing = false;
  const filled = template
    .replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
      const value = params[name];
      if (typeof value !== 'string' || !value) missing = true;
      return encodeURIComponent(value ?? '');
    })
    .replace(/\{([\w.]+)\}/g, (_, path: string) => {
      const value = path
        .split('.')
        .reduce<unknown>((at, key) => (at as Record<string, unknown> | null)?.[key], body);
      if (typeof value === 'string' || typeof value === 'number')
        return encodeURIComponent(String(value));
      missing = true;
      return '';
    });
  return missing ? null : filled;
}
