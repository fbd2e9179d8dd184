import type { OpenAPIObject } from '@nestjs/swagger';
import type { ProblemStatus } from '@helpdesk/common';

// What @nestjs/swagger cannot say from decorators alone, applied as rules of the whole API
// (docs/contract.md): these are facts of global mechanisms (the body parser, the validation
// pipe, the request-id hook), so they are stated once here rather than on every route.

type Json = Record<string, unknown>;
type Schema = Json & {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  additionalProperties?: boolean | Schema;
};
interface Parameter {
  name: string;
  in: string;
  schema?: Schema;
  required?: boolean;
  description?: string;
}
interface Response {
  description?: string;
  content?: Record<string, { schema?: Schema }>;
  headers?: Record<string, unknown>;
}
interface Operation {
  operationId?: string;
  summary?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }>; required?: boolean };
  responses: Record<string, Response>;
}

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export interface RefineOptions {
  problemRef: string;
  problemDescription(status: ProblemStatus): string;
}

/** Every operation of a document, with its path and method. */
export function operationsOf(
  document: OpenAPIObject,
): Array<{ path: string; method: string; operation: Operation }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => (item as Json)[method]).map((method) => ({
      path,
      method,
      operation: (item as Json)[method] as Operation,
    })),
  );
}

const HEADERS = {
  'X-Request-Id': {
    description: 'This request’s id (echoed from the request when sane); quote it in reports',
    schema: { type: 'string' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', minimum: 1 },
  },
  Allow: { description: 'The methods this path answers', schema: { type: 'string' } },
};
const headerRef = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

/** Problems the JSON body parser answers on any route that takes a JSON body. */
const BODY_PROBLEMS: ProblemStatus[] = [400, 413, 415];

export function refineDocument(document: OpenAPIObject, options: RefineOptions): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const requestSchemas = new Set<string>();
  document.components = {
    ...document.components,
    headers: { ...document.components?.headers, ...HEADERS },
  };

  for (const { operation } of operationsOf(document)) {
    // @Endpoint gives non-public routes their credentials; the rest declare none explicitly.
    operation.security ??= [];

    for (const parameter of operation.parameters ?? []) {
      // Path ids are UUIDs (uuidPipe) unless a route names its parameter otherwise (`{n}`).
      if (parameter.in === 'path' && /^(id|[a-z]+Id)$/.test(parameter.name) && parameter.schema) {
        parameter.schema = { ...parameter.schema, type: 'string', format: 'uuid' };
      }
    }

    const jsonBody = operation.requestBody?.content?.['application/json']?.schema;
    if (jsonBody) {
      collectRefs(jsonBody, schemas, requestSchemas);
      for (const status of BODY_PROBLEMS) {
        operation.responses[status] ??= {
          description: options.problemDescription(status),
          content: {},
        };
      }
    }

    for (const [status, response] of Object.entries(operation.responses)) {
      const code = Number(status);
      if (code >= 400) {
        // Errors are problem documents whatever the success media type (CSV, SSE, a file).
        response.content = {
          'application/problem+json': { schema: { $ref: options.problemRef } },
        };
      }
      response.headers = { ...response.headers, 'X-Request-Id': headerRef('X-Request-Id') };
      if (code === 429 || code === 503) response.headers['Retry-After'] = headerRef('Retry-After');
    }
  }

  for (const schema of Object.values(schemas)) nullableRefs(schema);

  // The validation pipe refuses unknown fields (forbidNonWhitelisted): say so on every schema a
  // request body uses. Free-form objects (custom_fields) are inline schemas and stay open.
  for (const name of requestSchemas) {
    const schema = schemas[name];
    if (schema && schema.additionalProperties === undefined && schema.properties) {
      schema.additionalProperties = false;
    }
  }
  return document;
}

/** OpenAPI 3.0's way to say "only null" (validators apply `allOf` to null as well). */
const NULL_ONLY = { type: 'object', nullable: true, enum: [null] };

/**
 * `{ nullable, allOf: [$ref] }` (what @nestjs/swagger emits for a nullable object) refuses null in
 * JSON Schema validators, since allOf still applies: say "the object or null" instead.
 */
function nullableRefs(schema: Schema): void {
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    if (child.nullable === true && child.allOf?.length === 1 && !child.properties) {
      const { description } = child;
      schema.properties![name] = {
        ...(description ? { description } : {}),
        anyOf: [child.allOf[0], NULL_ONLY],
      };
    } else {
      nullableRefs(child);
    }
  }
  if (schema.items) nullableRefs(schema.items);
}

/** The component schemas `schema` uses, transitively. */
function collectRefs(schema: Schema, schemas: Record<string, Schema>, into: Set<string>): void {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    if (into.has(name)) return;
    into.add(name);
    if (schemas[name]) collectRefs(schemas[name], schemas, into);
    return;
  }
  for (const child of [
    ...Object.values(schema.properties ?? {}),
    ...(schema.items ? [schema.items] : []),
    ...(schema.allOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
  ]) {
    collectRefs(child, schemas, into);
  }
}
