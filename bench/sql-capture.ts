// Captures the SQL a scenario's request makes, from the app's own query log
// (DATABASE_LOG_QUERIES=true: TypeORM prints `query: <sql> -- PARAMETERS: [<json>]`), and turns
// two captures of one scenario into a template the raw replay can vary per iteration.
import type { AppProcess } from './processes';
import type { HttpRequest, Scenario, Slots } from './scenarios';
import { CAPTURE_ITERATION } from './scenarios';
import { sleep } from './util';

export interface CapturedStatement {
  sql: string;
  params: unknown[];
}

/** How a captured parameter is rebuilt for one replay iteration. */
type ParameterRule =
  | { kind: 'keep'; value: unknown }
  /** A string in which slot values and generated ids are replaced. */
  | { kind: 'substitute'; value: string }
  /** An opaque generated value (a token hash): a fresh random one of the same shape. */
  | { kind: 'fresh-token'; length: number; alphabet: string }
  /** A generated big integer (an advisory lock key hashed from a chain key): a random one. */
  | { kind: 'fresh-integer' }
  /** An array: each string in it is substituted. */
  | { kind: 'substitute-array'; value: unknown[] }
  /**
   * An audit chain position or an event feed number: unique per replay, since the replay cannot
   * read chain heads or the sequence the sequencer reserved.
   */
  | { kind: 'unique-sequence' };

export interface StatementTemplate {
  sql: string;
  rules: ParameterRule[];
}

export interface ScenarioTemplate {
  statements: StatementTemplate[];
  /** Slot values of the captured iteration, replaced by each replay iteration's. */
  capturedSlots: Slots;
  /** Ids the request generated (UUID v7 newer than the capture's start): fresh per iteration. */
  generatedIds: string[];
  /** Why the template is approximate, if it is. */
  notes: string[];
}

const ANSI = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');
const QUERY_PREFIX = 'query: ';
const PARAMETERS_MARK = ' -- PARAMETERS: ';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Splits a stretch of the app's stdout into logged statements (they may span lines). */
export function parseQueryLog(output: string): CapturedStatement[] {
  const lines = output.replace(ANSI, '').split('\n');
  const entries: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    if (line.startsWith(QUERY_PREFIX)) {
      if (current) entries.push(current.join('\n'));
      current = [line.slice(QUERY_PREFIX.length)];
    } else if (/^(query failed|query is slow|error|\{")/.test(line)) {
      if (current) entries.push(current.join('\n'));
      current = null;
    } else if (current) {
      current.push(line);
    }
  }
  if (current) entries.push(current.join('\n'));
  return entries.map(parseEntry);
}

function parseEntry(entry: string): CapturedStatement {
  const mark = entry.lastIndexOf(PARAMETERS_MARK);
  if (mark < 0) return { sql: entry.trim(), params: [] };
  const sql = entry.slice(0, mark).trim();
  try {
    const params: unknown = JSON.parse(entry.slice(mark + PARAMETERS_MARK.length).trim());
    return { sql, params: Array.isArray(params) ? params : [] };
  } catch {
    return { sql: entry.trim(), params: [] };
  }
}

/** Sends one request to the capturing app and returns the statements it logged. */
async function captureOne(
  app: AppProcess,
  port: number,
  request: HttpRequest,
): Promise<{ statements: CapturedStatement[]; status: number }> {
  const before = app.output().length;
  const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  await response.arrayBuffer();
  // Work after the response (the outbox relay woken by the commit) belongs to the request too.
  await sleep(500);
  const statements = parseQueryLog(app.output().slice(before));
  return {
    statements:
      request.method === 'GET'
        ? withoutTransactions(statements)
        : withoutSequencerPasses(statements),
    status: response.status,
  };
}

/**
 * A read request opens no transaction (only mutating requests run in a unit of work): a
 * transaction logged while it ran is background work that happened to fall in the window
 * (the event sequencer's periodic pass), and is not the request's.
 */
function withoutTransactions(statements: CapturedStatement[]): CapturedStatement[] {
  const kept: CapturedStatement[] = [];
  let inTransaction = false;
  for (const statement of statements) {
    if (/^(START TRANSACTION|BEGIN)\b/i.test(statement.sql)) inTransaction = true;
    else if (/^(COMMIT|ROLLBACK)\b/i.test(statement.sql)) inTransaction = false;
    else if (!inTransaction) kept.push(statement);
  }
  return kept;
}

/** The event sequencer's statements (its pass, and the webhook lookup that plans deliveries). */
const SEQUENCER_STATEMENT =
  /\bevent_sequencer_state\b|^WITH window_rows AS|\bevent_sequence_seq\b|^UPDATE\s+"?event"?\s+e\s+SET\s+sequence|^SELECT "Webhook"\."id" AS "Webhook_id", "Webhook"\."events"/i;

/**
 * The event sequencer's passes are left out of a write's template: one pass numbers every event
 * committed since the last, whichever process runs it, so under load the api runs one per many
 * requests. Replayed once per request, fifty raw workers would queue on its row lock and measure
 * that queue instead of the request. The log interleaves the api's connections, so the pass is
 * recognised by its statements, not by its transaction; the empty BEGIN/COMMIT pairs it leaves
 * are dropped too.
 */
function withoutSequencerPasses(statements: CapturedStatement[]): CapturedStatement[] {
  const kept = statements.filter((statement) => !SEQUENCER_STATEMENT.test(statement.sql.trim()));
  const result: CapturedStatement[] = [];
  for (const statement of kept) {
    const previous = result[result.length - 1];
    if (
      previous &&
      /^COMMIT\b/i.test(statement.sql.trim()) &&
      /^(START TRANSACTION|BEGIN)\b/i.test(previous.sql.trim())
    ) {
      result.pop();
      continue;
    }
    result.push(statement);
  }
  return result;
}

export async function captureScenario(
  app: AppProcess,
  port: number,
  scenario: Scenario,
): Promise<ScenarioTemplate> {
  const startedAt = Date.now() - 1000;
  const slotsA = scenario.slots(CAPTURE_ITERATION);
  const slotsB = scenario.slots(CAPTURE_ITERATION + 1);
  const a = await captureOne(app, port, scenario.request(slotsA));
  const b = await captureOne(app, port, scenario.request(slotsB));
  const notes: string[] = [];
  if (a.status >= 300 || b.status >= 300) {
    notes.push(`capture requests answered ${a.status} and ${b.status}`);
  }
  return buildTemplate(a.statements, b.statements, slotsA, startedAt, notes);
}

/** The ms timestamp of a UUID v7, or null for other versions. */
function uuidV7Time(id: string): number | null {
  const hex = id.replace(/-/g, '');
  if (hex[12] !== '7') return null;
  return parseInt(hex.slice(0, 12), 16);
}

function generatedIdsIn(statements: CapturedStatement[], since: number): string[] {
  const ids = new Set<string>();
  for (const statement of statements) {
    for (const param of statement.params) {
      if (typeof param !== 'string') continue;
      for (const match of param.match(UUID) ?? []) {
        const time = uuidV7Time(match.toLowerCase());
        if (time !== null && time >= since) ids.add(match.toLowerCase());
      }
    }
  }
  return [...ids];
}

/** The event sequencer's numbering UPDATE: `$1` is the first number of the block it reserved. */
const EVENT_NUMBERING = /^UPDATE\s+"?event"?\s+\w+\s+SET\s+sequence\s*=\s*\$1\b/i;

/**
 * Parameter positions (0-based) that fill audit_log.chain_seq in an INSERT, in every row: the
 * statement may be the audit INSERT itself or hold it as a data-modifying CTE (the unit of work
 * sends its consumers' inserts as one statement).
 */
function auditSequencePositions(sql: string): Set<number> {
  const positions = new Set<number>();
  for (const insert of sql.matchAll(/INSERT INTO "?audit_log"?\s*\(([^)]*)\)\s*VALUES\s*/gis)) {
    const column = insert[1]
      .split(',')
      .map((name) => name.trim().replace(/"/g, ''))
      .indexOf('chain_seq');
    if (column < 0) continue;
    // The rows that follow VALUES: `(…), (…)` up to whatever ends the list.
    const rows = /^(?:\([^()]*\)\s*,?\s*)+/.exec(sql.slice(insert.index + insert[0].length));
    for (const row of rows?.[0].matchAll(/\(([^()]*)\)/g) ?? []) {
      const token = row[1].split(',')[column]?.trim() ?? '';
      const parameter = /^\$(\d+)$/.exec(token);
      if (parameter) positions.add(Number(parameter[1]) - 1);
    }
  }
  return positions;
}

const EXACT_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN_LIKE = /^[A-Za-z0-9_\-+/=]{16,}$/;
const ISO_DATE = /^\d{4}-\d\d-\d\dT/;

function ruleFor(
  value: unknown,
  other: unknown,
  isAuditSequence: boolean,
  explained: (text: string) => boolean,
): ParameterRule {
  if (isAuditSequence && value !== 1 && value !== '1') return { kind: 'unique-sequence' };
  if (Array.isArray(value)) return { kind: 'substitute-array', value };
  if (typeof value !== 'string') return { kind: 'keep', value };
  const differs = other !== undefined && other !== value;
  if (differs && /^-?\d{10,}$/.test(value)) return { kind: 'fresh-integer' };
  if (explained(value)) return { kind: 'substitute', value };
  // Ids read from the database and numbers stay as captured; only opaque generated strings vary.
  const opaque = TOKEN_LIKE.test(value) && !ISO_DATE.test(value) && !/^\d+$/.test(value);
  if (differs && opaque && !EXACT_UUID.test(value)) {
    const alphabet = /^[0-9a-f]+$/.test(value) ? '0123456789abcdef' : 'base64url';
    return { kind: 'fresh-token', length: value.length, alphabet };
  }
  return { kind: 'substitute', value };
}

/** For each statement of `a`, the same statement (same SQL, same occurrence) in `b`, if any. */
function counterparts(
  a: CapturedStatement[],
  b: CapturedStatement[],
): (CapturedStatement | null)[] {
  const seen = new Map<string, number>();
  return a.map((statement) => {
    const occurrence = seen.get(statement.sql) ?? 0;
    seen.set(statement.sql, occurrence + 1);
    return b.filter((candidate) => candidate.sql === statement.sql)[occurrence] ?? null;
  });
}

export function buildTemplate(
  a: CapturedStatement[],
  b: CapturedStatement[],
  capturedSlots: Slots,
  captureStartedAt: number,
  notes: string[],
): ScenarioTemplate {
  const comparable = a.length === b.length && a.every((s, i) => s.sql === b[i].sql);
  if (!comparable) notes.push('the two captures differ in shape: statements matched by their SQL');
  const counterpartInB = counterparts(a, b);
  const generatedIds = generatedIdsIn(a, captureStartedAt);
  const known = [...Object.values(capturedSlots), ...generatedIds].filter((v) => v.length >= 8);
  const explained = (text: string) => known.some((value) => text.includes(value));
  const statements = a.map((statement, index) => {
    const auditSequence = auditSequencePositions(statement.sql);
    const numbering = EVENT_NUMBERING.test(statement.sql);
    const rules = statement.params.map((value, position) => {
      const other = counterpartInB[index]?.params[position];
      if (numbering && position === 0) return { kind: 'unique-sequence' } as const;
      return ruleFor(value, other, auditSequence.has(position), explained);
    });
    return { sql: statement.sql, rules };
  });
  return { statements, capturedSlots, generatedIds, notes };
}
