/** A strict RFC 4180 reader for tests: CRLF records, `"` quoting with `""` escapes. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else field += c;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length) throw new Error('last record is not CRLF-terminated');
  return records;
}

/** Records as objects keyed by the header row. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => {
    if (row.length !== header.length)
      throw new Error(`record has ${row.length} fields, header ${header.length}`);
    return Object.fromEntries(header.map((name, i) => [name, row[i]]));
  });
}

/**
 * Counts CSV records as bytes stream past, without keeping them: CRLFs outside quotes. Feed it
 * chunks; `records` includes the header row.
 */
export class CsvRecordCounter {
  records = 0;
  bytes = 0;
  private quoted = false;
  private lastWasCr = false;

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    // Byte by byte: '"', CR and LF are single bytes in UTF-8 and never part of another character.
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === QUOTE) this.quoted = !this.quoted;
      else if (!this.quoted && byte === LF && this.lastWasCr) this.records++;
      this.lastWasCr = !this.quoted && byte === CR;
    }
  }
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
