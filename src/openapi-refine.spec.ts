import type { OpenAPIObject } from '@nestjs/swagger';
import { refineDocument } from './openapi-refine';

const problemRef = '#/components/schemas/ProblemResponse';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test pokes at plain JSON
type Loose = any;
const refine = (doc: unknown): Loose =>
  refineDocument(doc as OpenAPIObject, { problemRef, problemDescription: (s) => `error ${s}` });

describe('refineDocument', () => {
  const document = () => ({
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things/{id}': {
        get: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: { description: 'ok', content: { 'text/csv': { schema: { type: 'string' } } } },
            404: { description: 'no', content: { 'text/csv': { schema: { $ref: problemRef } } } },
          },
        },
        patch: {
          security: [{ bearer: [] }],
          requestBody: {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Edit' } } },
          },
          responses: { 200: { description: 'ok' }, 429: { description: 'slow' } },
        },
      },
    },
    components: {
      schemas: {
        Edit: {
          type: 'object',
          properties: { part: { $ref: '#/components/schemas/Part' }, free: { type: 'object' } },
        },
        Part: { type: 'object', properties: { x: { type: 'string' } } },
        Shown: {
          type: 'object',
          properties: {
            y: { type: 'string' },
            part: {
              nullable: true,
              type: 'object',
              allOf: [{ $ref: '#/components/schemas/Part' }],
            },
          },
        },
      },
    },
  });

  it('documents errors as problem+json only, whatever the success media type', () => {
    const get = refine(document()).paths['/things/{id}'].get!;
    expect(Object.keys(get.responses['404'].content)).toEqual(['application/problem+json']);
    expect(Object.keys(get.responses['200'].content)).toEqual(['text/csv']);
  });

  it('makes public operations explicit and keeps declared security', () => {
    const paths = refine(document()).paths['/things/{id}'];
    expect(paths.get!.security).toEqual([]);
    expect(paths.patch!.security).toEqual([{ bearer: [] }]);
  });

  it('types id path parameters as UUIDs', () => {
    const get = refine(document()).paths['/things/{id}'].get!;
    expect(get.parameters![0]).toMatchObject({ schema: { type: 'string', format: 'uuid' } });
  });

  it('adds the body parser problems and closes request schemas, nested ones too', () => {
    const doc = refine(document());
    const patch = doc.paths['/things/{id}'].patch!;
    expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(['400', '413', '415']));
    const schemas = doc.components!.schemas as Record<string, { additionalProperties?: unknown }>;
    expect(schemas.Edit.additionalProperties).toBe(false);
    expect(schemas.Part.additionalProperties).toBe(false);
    expect(schemas.Shown.additionalProperties).toBeUndefined();
  });

  it('documents X-Request-Id on every response and Retry-After on 429', () => {
    const patch = refine(document()).paths['/things/{id}'].patch!;
    expect(Object.keys(patch.responses['200'].headers)).toEqual(['X-Request-Id']);
    expect(Object.keys(patch.responses['429'].headers)).toEqual(['X-Request-Id', 'Retry-After']);
  });

  it('says "the object or null" for a nullable object, which validators accept as null', () => {
    const schemas = refine(document()).components!.schemas as Record<string, Loose>;
    expect(schemas.Shown.properties.part).toEqual({
      anyOf: [
        { $ref: '#/components/schemas/Part' },
        { type: 'object', nullable: true, enum: [null] },
      ],
    });
  });
});
