import fc from 'fast-check';

// Just enough OpenAPI 3 to fuzz from: operations, their parameters and body schemas, and a
// checker for "a 2xx body has the declared shape".

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  additionalProperties?: boolean | Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

interface RawOperation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  /** `METHOD /path/{param}` — the access matrix's key. */
  key: string;
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
  /** Declared JSON schemas of the 2xx responses, by status. */
  success: Record<string, Schema | undefined>;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const success: Record<string, Schema | undefined> = {};
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (status.startsWith('2'))
          success[status] = response.content?.['application/json']?.schema;
      }
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema,
        success,
      });
    }
  }
  return ops;
}

export class SchemaResolver {
  constructor(private readonly doc: OpenApiDocument) {}

  resolve(schema: Schema | undefined): Schema {
    if (!schema) return {};
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const target = this.doc.components?.schemas?.[name];
      if (!target) throw new Error(`unresolved ${schema.$ref}`);
      return this.resolve({ ...target, nullable: schema.nullable ?? target.nullable });
    }
    if (schema.allOf?.length) {
      const merged = schema.allOf.map((s) => this.resolve(s));
      return Object.assign({}, ...merged, { nullable: schema.nullable }) as Schema;
    }
    return schema;
  }

  /** Values the schema admits (bounded in size): what a well-behaved client sends. */
  valid(input: Schema | undefined, name = '', depth = 0): fc.Arbitrary<unknown> {
    const schema = this.resolve(input);
    if (schema.enum?.length) return fc.constantFrom(...schema.enum);
    switch (schema.type) {
      case 'string':
        return this.validString(schema, name);
      case 'number':
      case 'integer':
        return fc.integer({
          min: Math.ceil(schema.minimum ?? -1000),
          max: Math.floor(Math.min(schema.maximum ?? 1000, 1_000_000)),
        });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(this.valid(schema.items, name, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 3, 3),
        });
      case 'object':
      default: {
        if (depth > 4) return fc.constant({});
        const props = schema.properties ?? {};
        if (!Object.keys(props).length) {
          return schema.additionalProperties
            ? fc.dictionary(
                fc.stringMatching(/^[a-z]{1,8}$/),
                fc.oneof(fc.string(), fc.integer()),
                {
                  maxKeys: 3,
                },
              )
            : fc.constant({});
        }
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [key, value] of Object.entries(props))
          record[key] = this.valid(value, key, depth + 1);
        return fc.record(record, { requiredKeys: schema.required ?? [] });
      }
    }
  }

  private validString(schema: Schema, name: string): fc.Arbitrary<string> {
    if (schema.format === 'uuid') return fc.uuid();
    if (schema.format === 'date-time') {
      return fc
        .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) })
        .map((ms) => new Date(ms).toISOString());
    }
    if (/email/.test(name))
      return fc.stringMatching(/^[a-z]{1,12}$/).map((s) => `${s}@example.test`);
    if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
    const minLength = schema.minLength ?? 0;
    const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
    return fc.oneof(
      fc.string({ minLength, maxLength }),
      fc.string({ minLength, maxLength, unit: 'grapheme' }),
    );
  }

  /** Problems with `value` against `schema`: missing required properties, wrong primitive types. */
  check(input: Schema | undefined, value: unknown, at = '$'): string[] {
    const schema = this.resolve(input);
    if (schema.oneOf?.length) {
      const each = schema.oneOf.map((alternative) => this.check(alternative, value, at));
      return each.some((problems) => problems.length === 0) ? [] : each.flat();
    }
    if (value === null) return schema.nullable || !schema.type ? [] : [`${at} is null`];
    const problems: string[] = [];
    const kind = Array.isArray(value) ? 'array' : typeof value;
    switch (schema.type) {
      case 'string':
        if (kind !== 'string') problems.push(`${at} is ${kind}, not string`);
        else if (schema.enum && !schema.enum.includes(value))
          problems.push(`${at} '${value as string}' not in enum`);
        break;
      case 'number':
      case 'integer':
        if (kind !== 'number') problems.push(`${at} is ${kind}, not number`);
        break;
      case 'boolean':
        if (kind !== 'boolean') problems.push(`${at} is ${kind}, not boolean`);
        break;
      case 'array':
        if (kind !== 'array') problems.push(`${at} is ${kind}, not array`);
        else
          (value as unknown[]).forEach((item, i) =>
            problems.push(...this.check(schema.items, item, `${at}[${i}]`)),
          );
        break;
      default:
        if (!schema.properties) break;
        if (kind !== 'object') {
          problems.push(`${at} is ${kind}, not object`);
          break;
        }
        for (const key of schema.required ?? []) {
          if (!(key in (value as object))) problems.push(`${at}.${key} is missing`);
        }
        for (const [key, sub] of Object.entries(schema.properties)) {
          const v = (value as Record<string, unknown>)[key];
          if (v !== undefined) problems.push(...this.check(sub, v, `${at}.${key}`));
        }
    }
    return problems;
  }
}

const deep = (levels: number, open: string, close: string, inner = '1') =>
  open.repeat(levels) + inner + close.repeat(levels);

/** Hostile values for any field: injections, traversal, huge, odd unicode, NUL, wrong types. */
export const HOSTILE_VALUES: unknown[] = [
  "' OR '1'='1' --",
  '1; DROP TABLE ticket; --',
  "'); SELECT pg_sleep(10); --",
  '%',
  '_',
  '\\',
  '{"$gt": ""}',
  { $gt: '' },
  { $ne: null, $where: 'sleep(1000)' },
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '/dev/zero',
  'a'.repeat(70_000),
  '\u0000',
  'before\u0000after',
  '\uD800',
  '\uFFFF\uFEFF\u202E',
  '𝕳𝖊𝖑𝖑𝖔 ✓ 中文 🤖 ﷽',
  'é'.repeat(5000),
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '${7*7}',
  'line\r\nBcc: attacker@example.test',
  '   ',
  '',
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  null,
  [],
  ['a', 1, null],
  {},
  '2026-13-45T25:61:00Z',
  '0000-00-00',
  'NaN',
  'Infinity',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-0000-0000-000000000000',
];

/** Raw JSON texts that are not values JSON.stringify would make. */
export const HOSTILE_BODIES: string[] = [
  '{"__proto__": {"isAdmin": true, "role": "admin"}}',
  '{"constructor": {"prototype": {"polluted": true}}}',
  '{"a": 1, "a": 2, "__proto__": null}',
  deep(5000, '[', ']'),
  deep(5000, '{"a":', '}'),
  deep(200, '{"a":', '}'),
  '[]',
  '[{"subject": "x"}]',
  '"just a string"',
  '12',
  'null',
  'true',
  '{',
  '{"subject": "unterminated',
  '\u0000',
  '',
  '{"x": 1e99999}',
  JSON.stringify({ nested: Array.from({ length: 10_000 }, (_, i) => i) }),
];

/** Strings for path segments: injections and traversal, URL-encoded by the caller. */
export const HOSTILE_PATH_VALUES = [
  'not-a-uuid',
  '1',
  '-1',
  "1' OR '1'='1",
  '../../etc/passwd',
  '..%2F..%2Fhealth',
  '%00',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-0000-0000-000000000000',
  '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11',
  'x'.repeat(3000),
  '🤖',
  '__proto__',
  'constructor',
];
