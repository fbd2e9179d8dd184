import { stringify, type Stringifier } from 'csv-stringify';
import { Transform } from 'node:stream';

/** One exported ticket as the export query selects it (snake_case columns). */
export interface TicketExportRow {
  number: string;
  id: string;
  subject: string;
  status: string;
  priority: string;
  category: string | null;
  channel: string;
  tags: string[];
  requester_name: string | null;
  requester_email: string | null;
  requester_organization: string | null;
  assignee_name: string | null;
  assignee_email: string | null;
  escalated: boolean;
  csat_score: number | null;
  custom_fields: Record<string, unknown>;
  resolution_notes: string | null;
  created_at: Date;
  updated_at: Date;
  first_responded_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  first_response_due_at: Date | null;
  first_response_at_risk_at: Date | null;
  first_response_breached_at: Date | null;
  resolution_due_at: Date | null;
  resolution_at_risk_at: Date | null;
  resolution_breached_at: Date | null;
  sla_paused_at: Date | null;
  sla_state: 'ok' | 'at_risk' | 'breached';
}

/** The CSV's columns, in order: `key` of the record, `header` in the first row. */
export const TICKET_CSV_COLUMNS = [
  'number',
  'id',
  'subject',
  'status',
  'priority',
  'category',
  'channel',
  'tags',
  'requester_name',
  'requester_email',
  'requester_organization',
  'assignee_name',
  'assignee_email',
  'escalated',
  'sla_state',
  'first_response_due_at',
  'first_responded_at',
  'resolution_due_at',
  'resolved_at',
  'closed_at',
  'csat_score',
  'created_at',
  'updated_at',
  'resolution_notes',
  'custom_fields',
] as const;
type CsvColumn = (typeof TICKET_CSV_COLUMNS)[number];
export type TicketCsvRecord = Record<CsvColumn, string>;

// Spreadsheets run a cell that starts with one of these as a formula (CSV injection, OWASP).
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes a `'` to a cell a spreadsheet would otherwise evaluate as a formula. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const iso = (date: Date | null): string => (date ? date.toISOString() : '');

/** A row as CSV cells: plain strings, timestamps in ISO 8601 UTC, every cell neutralised. */
export function toCsvRecord(row: TicketExportRow): TicketCsvRecord {
  const cells: TicketCsvRecord = {
    number: String(row.number),
    id: row.id,
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    category: row.category ?? '',
    channel: row.channel,
    tags: row.tags.join(';'),
    requester_name: row.requester_name ?? '',
    requester_email: row.requester_email ?? '',
    requester_organization: row.requester_organization ?? '',
    assignee_name: row.assignee_name ?? '',
    assignee_email: row.assignee_email ?? '',
    escalated: row.escalated ? 'true' : 'false',
    // The stored state, as the list's sla= filter and the staff view report it (docs/sla.md).
    sla_state: row.sla_state,
    first_response_due_at: iso(row.first_response_due_at),
    first_responded_at: iso(row.first_responded_at),
    resolution_due_at: iso(row.resolution_due_at),
    resolved_at: iso(row.resolved_at),
    closed_at: iso(row.closed_at),
    csat_score: row.csat_score === null ? '' : String(row.csat_score),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    resolution_notes: row.resolution_notes ?? '',
    custom_fields: Object.keys(row.custom_fields).length ? JSON.stringify(row.custom_fields) : '',
  };
  for (const column of TICKET_CSV_COLUMNS) cells[column] = neutraliseFormula(cells[column]);
  return cells;
}

/** Rows in, CSV records out (object mode on both sides). */
export function csvRecords(): Transform {
  return new Transform({
    objectMode: true,
    transform(row: TicketExportRow, _encoding, callback) {
      callback(null, toCsvRecord(row));
    },
  });
}

/**
 * RFC 4180: CRLF line ends, a header row, fields with a comma, a quote or a line break quoted
 * (csv-stringify quotes commas and quotes by itself; `quoted_match` adds lone CR or LF).
 */
export function csvStringifier(): Stringifier {
  return stringify({
    header: true,
    columns: TICKET_CSV_COLUMNS.map((key) => ({ key, header: key })),
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
  });
}
