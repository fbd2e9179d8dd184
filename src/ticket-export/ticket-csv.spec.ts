import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  csvRecords,
  csvStringifier,
  neutraliseFormula,
  toCsvRecord,
  type TicketExportRow,
} from './ticket-csv';

const row = (overrides: Partial<TicketExportRow> = {}): TicketExportRow => ({
  number: '7',
  id: '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  subject: 'Printer on fire',
  status: 'open',
  priority: 'high',
  category: null,
  channel: 'web',
  tags: ['hardware', 'urgent'],
  requester_name: 'Ada',
  requester_email: 'ada@example.com',
  requester_organization: null,
  assignee_name: null,
  assignee_email: null,
  escalated: false,
  csat_score: null,
  custom_fields: {},
  resolution_notes: null,
  created_at: new Date('2026-01-02T03:04:05.678Z'),
  updated_at: new Date('2026-01-02T03:04:05.678Z'),
  first_responded_at: null,
  resolved_at: null,
  closed_at: null,
  first_response_due_at: null,
  first_response_at_risk_at: null,
  first_response_breached_at: null,
  resolution_due_at: null,
  resolution_at_risk_at: null,
  resolution_breached_at: null,
  sla_paused_at: null,
  sla_state: 'ok',
  ...overrides,
});

async function csvOf(rows: TicketExportRow[]): Promise<string> {
  let out = '';
  const stringifier = csvStringifier();
  stringifier.on('data', (chunk: Buffer | string) => (out += chunk.toString()));
  await pipeline(Readable.from(rows), csvRecords(), stringifier);
  return out;
}

describe('ticket CSV', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1 555', "'+1 555"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tindented', "'\tindented"],
    ['\rreturn', "'\rreturn"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralises %j as %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it('writes a header row, then one CRLF-terminated row per ticket', async () => {
    const csv = await csvOf([row(), row({ number: '8' })]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toMatch(/^number,id,subject,status,/);
    expect(lines).toHaveLength(4); // header, 2 rows, and the empty string after the last CRLF
    expect(lines[1]).toContain(
      '7,0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b,Printer on fire,open,high,,web,hardware;urgent,Ada,',
    );
  });

  it('writes only the header when there is nothing to export', async () => {
    expect((await csvOf([])).split('\r\n')).toHaveLength(2);
  });

  it('quotes commas, quotes and line breaks as RFC 4180 says', async () => {
    const csv = await csvOf([row({ subject: 'a, "b"\nc\r\nd' })]);
    expect(csv).toContain('"a, ""b""\nc\r\nd"');
  });

  it('neutralises formulas in every text cell, including JSON and joined tags', () => {
    const record = toCsvRecord(
      row({
        subject: '=HYPERLINK("http://evil")',
        requester_name: '@admin',
        tags: ['-x'],
        category: '+cat',
      }),
    );
    expect(record.subject).toBe('\'=HYPERLINK("http://evil")');
    expect(record.requester_name).toBe("'@admin");
    expect(record.tags).toBe("'-x");
    expect(record.category).toBe("'+cat");
  });

  it('writes timestamps in ISO 8601 UTC, the SLA state, and custom fields as JSON', () => {
    const record = toCsvRecord(
      row({
        first_response_due_at: new Date('2020-01-01T00:00:00Z'),
        sla_state: 'breached',
        custom_fields: { order: 'A-1' },
        csat_score: 4,
        escalated: true,
      }),
    );
    expect(record).toMatchObject({
      created_at: '2026-01-02T03:04:05.678Z',
      first_response_due_at: '2020-01-01T00:00:00.000Z',
      sla_state: 'breached',
      custom_fields: '{"order":"A-1"}',
      csat_score: '4',
      escalated: 'true',
    });
  });
});
