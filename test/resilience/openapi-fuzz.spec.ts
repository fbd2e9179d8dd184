import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { Notification } from 'src/notifications/notification.entity';
import { createStaff, createTestApp, type TestApp } from '@helpdesk/testing';
import { ACCESS_MATRIX } from './support/access-matrix';
import { contractViolation, send, type RawCall } from './support/http';
import {
  HOSTILE_BODIES,
  HOSTILE_PATH_VALUES,
  HOSTILE_VALUES,
  operationsOf,
  SchemaResolver,
  type OpenApiDocument,
  type Operation,
} from './support/openapi';
import { buildWorld, freshCredentials, ROLES, type Role, type World } from './support/world';

// Fuzzing from /docs-json: for every operation, bodies, queries, headers and path values derived
// from its schemas (valid ones, and hostile ones from a corpus), sent with every kind of
// credentials. Bounded: FUZZ_RUNS random requests per operation (default 40) plus the corpus
// pass, with a fixed seed (FUZZ_SEED) so a failure reproduces.
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20261121);

interface Finding {
  op: string;
  role: Role;
  problem: string;
  request: string;
}

/** One line per kind of finding (op + problem), with one example request. */
function distinct(findings: Finding[]): string[] {
  const seen = new Map<string, string>();
  for (const f of findings) {
    const kind = `${f.op}: ${f.problem.replace(/"request_id":"[^"]+"/, '').slice(0, 160)}`;
    if (!seen.has(kind)) seen.set(kind, `${kind} (as ${f.role}) ← ${f.request.slice(0, 160)}`);
  }
  return [...seen.values()];
}

describe('fuzzing every operation of the OpenAPI document', () => {
  let t: TestApp;
  let world: World;
  let doc: OpenApiDocument;
  let schemas: SchemaResolver;
  let ops: Operation[];
  const realIds: Record<string, string[]> = {};
  const findings: Finding[] = [];
  const statuses = new Map<string, Map<number, number>>();
  let requests = 0;

  beforeAll(async () => {
    t = await createTestApp();
    world = await buildWorld(t);
    doc = (await t.http.get('/docs-json').expect(200)).body;
    schemas = new SchemaResolver(doc);
    ops = operationsOf(doc);
    // Real path values, so fuzzed requests reach the handlers and not only the 404 branch. The
    // shared credentials' own users, keys and tickets are never a target of a destructive call.
    const victim = await createStaff(t, 'support');
    const key = await t.http
      .post('/api/v1/admin/api-keys')
      .set(world.users.admin.auth)
      .send({ name: 'fuzz victim', role: 'support' });
    const target = await world.freshTicket();
    const doomed = await world.freshTicket();
    const note = await t.http
      .post(`/api/v1/admin/tickets/${target.id}/notes`)
      .set(world.users.support.auth)
      .send({ body: 'fuzz note' });
    const notification = await t.app
      .get(DataSource)
      .getRepository(Notification)
      .findOneByOrFail({ recipient: target.email, event: 'ticket_created' });
    Object.assign(realIds, {
      '/api/v1/admin/users/{id}': [victim.user.id],
      '/api/v1/admin/api-keys/{id}': [key.body.id],
      'DELETE /api/v1/admin/tickets/{id}': [doomed.id],
      ticket: [target.id, world.ticketB.id],
      noteId: [note.body.id],
      '/api/v1/admin/notifications/{id}/retry': [notification.id],
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  const pathValues = (op: Operation, name: string): string[] => {
    const param = op.parameters.find((p) => p.in === 'path' && p.name === name);
    const declared = schemas.resolve(param?.schema).enum?.map(String) ?? [];
    const real =
      realIds[op.key] ??
      realIds[op.path] ??
      (name === 'noteId' ? realIds.noteId : name === 'id' ? realIds.ticket : []);
    return [...declared, ...real];
  };

  const headersFor = async (op: Operation, role: Role) =>
    op.key === 'POST /api/v1/auth/logout'
      ? ((await freshCredentials(t, role)) ?? world.headersFor(role, world.ticketA))
      : world.headersFor(role, world.ticketA);

  const queryString = (entries: Array<[string, unknown]>): string =>
    entries
      .flatMap(([name, value]) => {
        if (Array.isArray(value)) return value.map((v) => [name, String(v)]);
        if (value && typeof value === 'object')
          return Object.entries(value).map(([k, v]) => [`${name}[${k}]`, String(v)]);
        return [[name, String(value)]];
      })
      .map(([k, v]) => `${encode(k)}=${encode(v)}`)
      .join('&');

  /** A lone surrogate cannot be percent-encoded as UTF-8: send U+FFFD like a browser would. */
  const encode = (value: string): string =>
    encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'));

  /** Header values must be sendable: printable ASCII only, bounded. */
  const headerSafe = (value: unknown): string =>
    (typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined'))
      .replace(/[^\x20-\x7e]/g, '?')
      .slice(0, 8000);

  async function fire(op: Operation, role: Role, call: RawCall): Promise<void> {
    requests += 1;
    let res;
    try {
      // An event stream never ends: read its status and first bytes, then hang up.
      res = await send(t, { ...call, stream: op.path.endsWith('/events/stream') });
    } catch (error) {
      findings.push({
        op: op.key,
        role,
        problem: `no answer: ${String(error)}`,
        request: describe(call),
      });
      return;
    }
    const perOp = statuses.get(op.key) ?? new Map<number, number>();
    perOp.set(res.status, (perOp.get(res.status) ?? 0) + 1);
    statuses.set(op.key, perOp);
    const violation = contractViolation(res);
    if (violation) findings.push({ op: op.key, role, problem: violation, request: describe(call) });
    if (res.status >= 200 && res.status < 300) {
      const declared = Object.keys(op.success);
      if (!declared.includes(String(res.status))) {
        findings.push({
          op: op.key,
          role,
          problem: `${res.status} is not a declared response (${declared.join(',') || 'none'})`,
          request: describe(call),
        });
      }
      const schema = op.success[String(res.status)];
      const json = String(res.headers['content-type'] ?? '').includes('json');
      if (schema && json) {
        for (const problem of schemas.check(schema, res.body).slice(0, 3))
          findings.push({
            op: op.key,
            role,
            problem: `response: ${problem}`,
            request: describe(call),
          });
      }
    }
  }

  function describe(call: RawCall): string {
    const body = typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
    return `${call.method} ${call.path}${call.query ? `?${call.query}` : ''} ${String(body ?? '').slice(0, 200)}`;
  }

  /** One request of `op`: path values, query, headers and body drawn from their arbitraries. */
  function requestArbitrary(op: Operation) {
    const pathParams = op.parameters.filter((p) => p.in === 'path');
    const queryParams = op.parameters.filter((p) => p.in === 'query');
    const headerParams = op.parameters.filter((p) => p.in === 'header');
    const hostile = fc.constantFrom(...HOSTILE_VALUES);
    const path = fc.tuple(
      ...pathParams.map((p) =>
        fc.oneof(
          {
            weight: 4,
            arbitrary: fc.constantFrom(
              ...(pathValues(op, p.name).length ? pathValues(op, p.name) : ['x']),
            ),
          },
          { weight: 1, arbitrary: fc.uuid() },
          { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_PATH_VALUES) },
        ),
      ),
    );
    const query = fc.tuple(
      ...queryParams.map((p) =>
        fc.oneof(
          { weight: 2, arbitrary: fc.constant(undefined) },
          { weight: 3, arbitrary: schemas.valid(p.schema, p.name) },
          { weight: 2, arbitrary: hostile },
        ),
      ),
    );
    const headers = fc.tuple(
      ...headerParams.map(() =>
        fc.oneof(fc.constant(undefined), fc.string({ minLength: 1, maxLength: 40 }), hostile),
      ),
    );
    const validBody = op.body ? schemas.valid(op.body) : fc.constant(undefined);
    const body = op.body
      ? fc.oneof(
          { weight: 4, arbitrary: validBody },
          {
            // a valid body with one field hostile, or an unknown/prototype key added
            weight: 4,
            arbitrary: fc
              .tuple(
                validBody,
                fc.constantFrom(
                  ...Object.keys(schemas.resolve(op.body).properties ?? { x: 0 }),
                  '__proto__',
                  'constructor',
                  'is_admin',
                ),
                hostile,
              )
              .map(([b, field, value]) => {
                const text = JSON.stringify(b ?? {});
                const extra = `${JSON.stringify(field)}:${JSON.stringify(value) ?? 'null'}`;
                return text === '{}' ? `{${extra}}` : `${text.slice(0, -1)},${extra}}`;
              }),
          },
          { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_BODIES) },
          { weight: 1, arbitrary: validBody.map((b) => [b]) }, // an array for an object
        )
      : fc.oneof(fc.constant(undefined), fc.constantFrom('{"unexpected": true}', '[]'));
    return fc.record({
      role: fc.constantFrom(...ROLES),
      path,
      query,
      headers,
      body,
    });
  }

  function build(
    op: Operation,
    pathValuesFor: unknown[],
    query: unknown[],
    headerValues: unknown[],
    body: unknown,
    roleHeaders: Record<string, string>,
  ): RawCall {
    let path = op.path;
    op.parameters
      .filter((p) => p.in === 'path')
      .forEach((p, i) => {
        path = path.replace(`{${p.name}}`, encode(String(pathValuesFor[i])));
      });
    const queryParams = op.parameters.filter((p) => p.in === 'query');
    const headerParams = op.parameters.filter((p) => p.in === 'header');
    const headers = { ...roleHeaders };
    headerParams.forEach((p, i) => {
      if (headerValues[i] !== undefined) headers[p.name] = headerSafe(headerValues[i]);
    });
    return {
      method: op.method,
      path,
      query: queryString(
        queryParams
          .map((p, i) => [p.name, query[i]] as [string, unknown])
          .filter(([, v]) => v !== undefined),
      ),
      headers,
      body,
    };
  }

  it('generates requests for every operation (a fuzzer that covers nothing proves nothing)', () => {
    expect(ops.length).toBeGreaterThan(30);
    expect(ops.filter((op) => op.body).length).toBeGreaterThan(10);
  });

  it('answers random requests of every operation, with every role, without a 5xx', async () => {
    findings.length = 0;
    for (const [index, op] of ops.entries()) {
      const samples = fc.sample(requestArbitrary(op), { numRuns: RUNS, seed: SEED + index });
      for (const s of samples) {
        const call = build(op, s.path, s.query, s.headers, s.body, await headersFor(op, s.role));
        await fire(op, s.role, call);
      }
    }
    expect(distinct(findings)).toEqual([]);
  });

  it('answers the hostile corpus in every field, path value and body without a 5xx', async () => {
    findings.length = 0;
    const strongest = (op: Operation): Role =>
      (['admin', 'customer', 'ticket_token', 'anonymous'] as const).find(
        (role) => ACCESS_MATRIX[op.key]?.access[role] === 'ok',
      ) ?? 'admin';
    for (const op of ops) {
      const role = strongest(op);
      const roleHeaders = await headersFor(op, role);
      const pathParams = op.parameters.filter((p) => p.in === 'path');
      const realPath = pathParams.map((p) => pathValues(op, p.name)[0] ?? 'x');
      const queryParams = op.parameters.filter((p) => p.in === 'query');
      const bodyFields = Object.keys(schemas.resolve(op.body).properties ?? {});
      const validBody = op.body
        ? fc.sample(schemas.valid(op.body), { numRuns: 1, seed: SEED })[0]
        : undefined;
      for (const [i, value] of HOSTILE_VALUES.entries()) {
        // round-robin over the fields: every value lands in a body field and a query parameter
        const query = queryParams.map((_, q) =>
          q === i % Math.max(queryParams.length, 1) ? value : undefined,
        );
        let body: unknown = validBody;
        if (op.body && bodyFields.length) {
          body = { ...(validBody as object), [bodyFields[i % bodyFields.length]]: value };
        }
        await fire(op, role, build(op, realPath, query, [], body, roleHeaders));
      }
      if (op.body) {
        for (const raw of HOSTILE_BODIES)
          await fire(op, role, build(op, realPath, [], [], raw, roleHeaders));
      }
      for (const [p] of pathParams.entries()) {
        for (const value of HOSTILE_PATH_VALUES) {
          const values = [...realPath];
          values[p] = value;
          await fire(op, role, build(op, values, [], [], validBody, roleHeaders));
        }
      }
    }
    expect(distinct(findings)).toEqual([]);
  });

  it('still works afterwards (the fuzzing polluted no prototype and broke no session)', async () => {
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await t.http.get('/api/v1/auth/me').set(world.users.admin.auth).expect(200);
    await t.http.get('/health/ready').expect(200);
    const summary = [...statuses.entries()].map(
      ([op, counts]) => `${op}: ${[...counts.entries()].map(([s, n]) => `${s}×${n}`).join(' ')}`,
    );
    console.info(
      `fuzz: ${requests} requests, seed ${SEED}, ${RUNS} random per operation\n${summary.join('\n')}`,
    );
  });
});
