// Replays a scenario's captured SQL straight through a `pg` pool: the database's own ceiling for
// the work one request does, at the same concurrency as the HTTP run.
import { randomBytes } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { LatencyRecorder, type Measurement } from './measurement';
import type { Scenario } from './scenarios';
import type { ScenarioTemplate, StatementTemplate } from './sql-capture';

export interface ReplaySettings {
  databaseUrl: string;
  connections: number;
  seconds: number;
}

/** A UUID v7 for now, like the app's ids (time-ordered). */
function uuidV7(): string {
  const hex = Date.now().toString(16).padStart(12, '0') + randomBytes(10).toString('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function freshToken(length: number, alphabet: string): string {
  const bytes = randomBytes(length);
  return alphabet === 'base64url'
    ? bytes.toString('base64url').slice(0, length)
    : bytes.toString('hex').slice(0, length);
}

// Above anything an earlier run's replay wrote into a reused database (--reuse-seed): a start
// taken from the clock (1,000 per millisecond) clears the last run's numbers by far.
let sequence = Date.now() * 1000;
/** An event numbering covers a block (one number per event of the request): leave room for it. */
const SEQUENCE_STRIDE = 100;

/** Iteration i's parameters: slots and generated ids replaced, opaque values fresh. */
function parametersFor(statement: StatementTemplate, replacements: [string, string][]): unknown[] {
  return statement.rules.map((rule) => {
    switch (rule.kind) {
      case 'keep':
        return rule.value;
      case 'unique-sequence':
        sequence += SEQUENCE_STRIDE;
        return sequence;
      case 'fresh-token':
        return freshToken(rule.length, rule.alphabet);
      case 'fresh-integer':
        return randomBytes(8).readBigInt64BE().toString();
      case 'substitute':
        return substitute(rule.value, replacements);
      case 'substitute-array':
        return rule.value.map((item) =>
          typeof item === 'string' ? substitute(item, replacements) : item,
        );
    }
  });
}

function substitute(text: string, replacements: [string, string][]): string {
  const exact = replacements.find(([from]) => from === text);
  if (exact) return exact[1];
  let value = text;
  for (const [from, to] of replacements) {
    if (from.length >= 8 && value.includes(from)) value = value.split(from).join(to);
  }
  return value;
}

function replacementsFor(
  scenario: Scenario,
  template: ScenarioTemplate,
  iteration: number,
): [string, string][] {
  const slots = scenario.slots(iteration);
  const fromSlots = Object.entries(template.capturedSlots).map(
    ([name, captured]): [string, string] => [captured, slots[name] ?? captured],
  );
  const fromIds = template.generatedIds.map((id): [string, string] => [id, uuidV7()]);
  return [...fromSlots, ...fromIds];
}

async function runIteration(
  client: PoolClient,
  statements: StatementTemplate[],
  replacements: [string, string][],
): Promise<void> {
  let inTransaction = false;
  try {
    for (const statement of statements) {
      const sql = statement.sql === 'START TRANSACTION' ? 'BEGIN' : statement.sql;
      if (sql === 'BEGIN') inTransaction = true;
      if (sql === 'COMMIT' || sql === 'ROLLBACK') inTransaction = false;
      await client.query(sql, parametersFor(statement, replacements));
    }
  } catch (error) {
    if (inTransaction) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export async function runRawReplay(
  scenario: Scenario,
  template: ScenarioTemplate,
  settings: ReplaySettings,
  firstIteration: number,
): Promise<Measurement> {
  const pool = new Pool({ connectionString: settings.databaseUrl, max: settings.connections });
  const recorder = new LatencyRecorder();
  let iteration = firstIteration;
  const started = Date.now();
  const deadline = started + settings.seconds * 1000;
  const worker = async () => {
    while (Date.now() < deadline) {
      const replacements = replacementsFor(scenario, template, iteration++);
      const client = await pool.connect();
      const begin = performance.now();
      try {
        await runIteration(client, template.statements, replacements);
        recorder.record(performance.now() - begin);
      } catch (error) {
        recorder.errors++;
        recorder.fail(error instanceof Error ? error.message.slice(0, 120) : 'unknown error');
      } finally {
        client.release();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: settings.connections }, worker));
  } finally {
    await pool.end();
  }
  return recorder.summary((Date.now() - started) / 1000);
}
