import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ENDPOINT } from 'src/access/endpoint.decorator';
import { operationsOf } from 'src/openapi-refine';
import { createTestApp, type TestApp } from '@helpdesk/testing';

// What the document promises about itself, checked on the live /docs-json so that a route added
// later without its declarations fails here (docs/contract.md). `npm run test:contract` also
// dumps the document from this spec (CONTRACT_DOCUMENT=path) for Redocly and Prism.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PROBLEM_REF = '#/components/schemas/ProblemResponse';
const SCHEMES = ['bearer', 'api-key', 'ticket-token'];

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: Json;
  let ops: ReturnType<typeof operationsOf>;

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http.get('/docs-json').expect(200)).body as Json;
    ops = operationsOf(doc as never);
    const target = process.env.CONTRACT_DOCUMENT;
    if (target) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, JSON.stringify(doc, null, 2));
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  const each = (check: (op: (typeof ops)[number]) => string | undefined): string[] =>
    ops.flatMap((op) => {
      const problem = check(op);
      return problem ? [`${op.method.toUpperCase()} ${op.path}: ${problem}`] : [];
    });

  it('declares every route with @Endpoint (access, audit, summary, operationId, problems)', () => {
    const discovery = t.app.get(DiscoveryService);
    const scanner = t.app.get(MetadataScanner);
    const reflector = t.app.get(Reflector);
    const undeclared: string[] = [];
    let routes = 0;
    for (const wrapper of discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, () => void>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        routes += 1;
        if (!reflector.get(ENDPOINT, handler)) {
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
          undeclared.push(`${method} ${wrapper.metatype.name}.${name}`);
        }
      }
    }
    expect(routes).toBeGreaterThan(50);
    expect(undeclared).toEqual([]);
  });

  it('gives every operation a summary and an explicit, unique camelCase operationId', () => {
    expect(ops.length).toBeGreaterThan(50);
    expect(
      each(({ operation }) =>
        !operation.summary
          ? 'no summary'
          : !/^[a-z][A-Za-z]+$/.test(operation.operationId ?? '')
            ? `operationId ${operation.operationId} is not camelCase (a framework default?)`
            : undefined,
      ),
    ).toEqual([]);
    const ids = ops.map(({ operation }) => operation.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('documents every error as application/problem+json with the one Problem schema', () => {
    expect(
      each(({ operation }) => {
        const errors = Object.entries(operation.responses).filter(([s]) => Number(s) >= 400);
        const bad = errors.filter(
          ([, r]) =>
            JSON.stringify(Object.keys(r.content ?? {})) !== '["application/problem+json"]' ||
            r.content!['application/problem+json'].schema?.$ref !== PROBLEM_REF,
        );
        return bad.length ? `errors ${bad.map(([s]) => s).join(',')} are not problem+json` : '';
      }),
    ).toEqual([]);
  });

  it('states the credentials of every operation (public ones `security: []`)', () => {
    expect(doc.servers?.length).toBeGreaterThan(0);
    expect(
      each(({ operation }) => {
        if (!Array.isArray(operation.security)) return 'no security';
        const unknown = operation.security.flatMap(Object.keys).filter((s) => !SCHEMES.includes(s));
        if (unknown.length) return `unknown schemes ${unknown.join(',')}`;
        if (operation.security.length && !operation.responses['401']) return 'no 401';
        return undefined;
      }),
    ).toEqual([]);
    const used = new Set(ops.flatMap(({ operation }) => operation.security!.flatMap(Object.keys)));
    expect([...used].sort()).toEqual([...SCHEMES].sort());
  });

  it('declares the problems of path ids and JSON bodies', () => {
    expect(
      each(({ operation }) => {
        const ids = (operation.parameters ?? []).filter(
          (p) => p.in === 'path' && p.schema?.format === 'uuid',
        );
        if (ids.length && !(operation.responses['404'] && operation.responses['422']))
          return 'uuid path parameter without 404 and 422';
        if (operation.requestBody?.content?.['application/json']) {
          const missing = ['400', '413', '415', '422'].filter((s) => !operation.responses[s]);
          if (missing.length) return `JSON body without ${missing.join(',')}`;
        }
        return undefined;
      }),
    ).toEqual([]);
  });

  it('types page and limit as bounded integers and closes request bodies', () => {
    const schemas = doc.components.schemas as Json;
    expect(
      each(({ operation }) => {
        for (const p of operation.parameters ?? []) {
          if (p.in === 'query' && (p.name === 'page' || p.name === 'limit')) {
            if (p.schema?.type !== 'integer' || p.schema.minimum !== 1)
              return `${p.name} unbounded`;
          }
        }
        const ref = operation.requestBody?.content?.['application/json']?.schema?.$ref;
        const body = ref ? schemas[ref.split('/').pop()!] : undefined;
        if (body && body.additionalProperties !== false)
          return 'request body allows unknown fields';
        return undefined;
      }),
    ).toEqual([]);
  });

  it('documents a public intake example that the server itself accepts', async () => {
    const op = ops.find((o) => o.operation.operationId === 'submitTicket')!;
    const ref = op.operation.requestBody!.content!['application/json'].schema!.$ref!;
    const schema = (doc.components.schemas as Json)[ref.split('/').pop()!];
    const example = Object.fromEntries(
      Object.entries(schema.properties as Json)
        .filter(([, p]) => p.example !== undefined)
        .map(([name, p]) => [name, p.example]),
    );
    expect(Object.keys(example)).toEqual(expect.arrayContaining(schema.required));
    await t.http.post('/api/v1/tickets').send(example).expect(201);
  });

  it('answers a wrong method on a known path with 405 and Allow, as a problem document', async () => {
    const res = await t.http.delete('/api/v1/tickets').expect(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    await t.http.get('/api/v1/no-such-thing').expect(404);
  });
});
