/** What a redacted value becomes (the same mask the users module uses for password changes). */
export const REDACTED = '***';

/** Words that make a key's value a secret or a body, wherever they stand in the key. */
const SENSITIVE_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'key',
  'authorization',
  'cookie',
  'credential',
  'credentials',
  'signature',
  'body',
  'message',
  'note',
  'notes',
  'comment',
  'content',
]);

/** Last words that make a key describe a secret or body without holding it (`body_length`). */
const DESCRIPTIVE_LAST_WORDS = new Set([
  'id',
  'ids',
  'length',
  'count',
  'size',
  'prefix',
  'type',
  'name',
  'sha256',
  'at',
]);

function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * True for keys whose values must never reach the audit log: `password`, `access_token`,
 * `apiKey`, `body`, `internal_note`… but not `message_length`, `key_prefix` or `note_id`.
 * Events are supposed to carry ids and lengths only; this is the second line of defence.
 */
export function isSensitiveKey(key: string): boolean {
  const words = wordsOf(key);
  if (words.length === 0 || DESCRIPTIVE_LAST_WORDS.has(words[words.length - 1])) return false;
  return words.some((word) => SENSITIVE_WORDS.has(word));
}

// PostgreSQL's jsonb refuses NUL characters and lone surrogates; an audit entry must never be
// the reason a change fails, so such characters are replaced before they are hashed and stored.
function cleanString(value: string): string {
  return value.replace(/\0/g, '\uFFFD').replace(/\p{Surrogate}/gu, '\uFFFD');
}

/**
 * Turns any value into plain JSON data exactly as it will read back from jsonb (dates as ISO
 * strings, no `undefined`, no NaN), with the values of sensitive keys masked. What is hashed
 * is what is stored, so verification can recompute the hash from the stored row.
 */
export function toAuditJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return cleanString(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return null; // functions and symbols are not data
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => toAuditJson(item));
  // No prototype: a `__proto__` key is kept as data instead of changing the object.
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    out[cleanString(key)] = isSensitiveKey(key) ? mask(item) : toAuditJson(item);
  }
  return out;
}

/** `{field: [old, new]}` keeps its shape when masked, so the log still says the field changed. */
function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(() => REDACTED);
  return REDACTED;
}

/** A plain JSON object (changes or details) ready to hash and store. */
export function toAuditObject(value: Record<string, unknown> | undefined): Record<string, unknown> {
  const json = toAuditJson(value ?? {});
  return json !== null && typeof json === 'object' && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : {};
}

/** The same text for the same JSON data, whatever the key order (objects' keys sorted). */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  throw new TypeError(`canonicalJson: not JSON data (${typeof value})`);
}
