// Writes a run's figures: a JSON file per run and a section appended to benchmarks.md.
import { execSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Measurement } from './measurement';
import type { OneOffResult } from './one-offs';
import type { BenchOptions } from './options';
import { round } from './util';

export interface ScenarioResult {
  name: string;
  kind: 'read' | 'write';
  api: Measurement;
  raw: Measurement | null;
  /** Write scenarios: the fewest writes the change needs, by hand on PostgreSQL (bench/floor.ts). */
  floor?: Measurement | null;
  /** API req/s divided by raw req/s. */
  ratio: number | null;
  /** API req/s divided by floor req/s. */
  floorRatio?: number | null;
  /** Statements the api ran for one request (BEGIN and COMMIT included; the worker's aside). */
  statements: number;
  /** Transactions among them. */
  transactions?: number;
  captureNotes: string[];
  /** The captured statements the raw replay ran, with how each parameter was varied. */
  capturedSql: { sql: string; parameters: string[] }[];
}

export interface BenchReport {
  date: string;
  commit: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; loadAverageAtStart: number[] };
  tickets: number;
  quick: boolean;
  connections: number;
  durationSeconds: number;
  seedSeconds: number;
  /** --reuse-seed: the database of an earlier run, scenario writes included. */
  seedReused?: boolean;
  totalSeconds?: number;
  scenarios: ScenarioResult[];
  slaSweep: OneOffResult;
  export: OneOffResult;
  analyticsSummary: OneOffResult;
}

export function describeMachine(): BenchReport['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: round(totalmem() / 1024 ** 3),
    loadAverageAtStart: loadavg().map((value) => round(value, 2)),
  };
}

export function currentCommit(): string {
  try {
    const commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    const dirty = execSync('git status --porcelain --untracked-files=no', { encoding: 'utf8' });
    return dirty.trim() ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return 'unknown';
  }
}

const TARGET_P99_MS = { read: 50, write: 100 };
const TARGET_RATIO = { read: 0.5, write: 0.4 };
/** Issue 15: a write scenario reaches this share of its floor. */
const TARGET_FLOOR_RATIO = 0.35;

function scenarioRow(s: ScenarioResult): string {
  const meets =
    s.api.p99Ms < TARGET_P99_MS[s.kind] &&
    (s.ratio === null || s.ratio >= TARGET_RATIO[s.kind]) &&
    (s.floorRatio == null || s.floorRatio >= TARGET_FLOOR_RATIO);
  const raw = s.raw ? `${s.raw.requestsPerSecond} (p99 ${s.raw.p99Ms})` : 'n/a';
  const failures = Object.entries(s.api.failures)
    .map(([code, count]) => `${code}×${count}`)
    .join(' ');
  const floor = s.floor ? `${s.floor.requestsPerSecond} (p99 ${s.floor.p99Ms})` : 'n/a';
  const statements = `${s.statements}${s.transactions !== undefined ? ` / ${s.transactions}` : ''}`;
  return `| ${s.name} | ${s.kind} | ${s.api.requestsPerSecond} | ${s.api.p50Ms} | ${s.api.p95Ms} | ${s.api.p99Ms} | ${s.api.errors} | ${s.api.non2xx}${failures ? ` (${failures})` : ''} | ${raw} | ${s.ratio ?? 'n/a'} | ${floor} | ${s.floorRatio ?? 'n/a'} | ${statements} | ${meets ? 'yes' : 'no'} |`;
}

function oneOffText(result: OneOffResult): string {
  if (!result.available) return `not available (${result.reason})`;
  const { available: _available, reason: _reason, ...figures } = result;
  return Object.entries(figures)
    .map(([name, value]) => `${name} ${String(value)}`)
    .join(', ');
}

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  return [
    `### ${report.date} — ${report.tickets.toLocaleString('en-US')} tickets${report.quick ? ' (quick)' : ''}`,
    '',
    `Commit ${report.commit}; ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB; load average at start ${m.loadAverageAtStart.join(' / ')}; ` +
      `${report.connections} connections, ${report.durationSeconds} s per scenario; ${report.seedReused ? 'seed reused from an earlier run (--reuse-seed)' : `seed ${report.seedSeconds} s`}` +
      (report.totalSeconds ? `; whole run ${report.totalSeconds} s.` : '.'),
    '',
    '| scenario | kind | API req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx | raw req/s (p99 ms) | API/raw | floor req/s (p99 ms) | API/floor | statements / tx | meets targets |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...report.scenarios.map(scenarioRow),
    '',
    `- SLA sweep: ${oneOffText(report.slaSweep)}`,
    `- CSV export of all tickets: ${oneOffText(report.export)}`,
    `- Analytics summary over a year: ${oneOffText(report.analyticsSummary)}`,
    '',
  ].join('\n');
}

/** Writes the JSON file and appends the markdown section; returns the JSON file's path. */
export function writeReport(options: BenchOptions, report: BenchReport): string {
  mkdirSync(options.resultsDir, { recursive: true });
  const file = join(options.resultsDir, `${report.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  mkdirSync(options.reportDir, { recursive: true });
  const markdown = join(options.reportDir, 'benchmarks.md');
  if (!existsSync(markdown)) writeFileSync(markdown, '# Benchmarks\n\n## Runs\n\n');
  appendFileSync(markdown, `${renderMarkdown(report)}\n`);
  return file;
}

export function memorySummary(): string {
  return `${round(freemem() / 1024 ** 3)} GB free of ${round(totalmem() / 1024 ** 3)} GB`;
}
