import { crc32, deflateRawSync } from 'node:zlib';

// Real files, small enough to live in the source: each was made by a real encoder
// (ImageMagick 6.9 / cwebp 1.2, a 1×1 pixel of #3366cc) and checked with file(1).
const base64 = (text: string): Buffer => Buffer.from(text, 'base64');

/** A valid 1×1 PNG. */
export const tinyPng = (): Buffer =>
  base64(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABAQMAAAAl21bKAAAAA1BMVEUzZswgIiSpAAAACklEQVQI12NgAAAAAgAB4iG8MwAAAABJRU5ErkJggg==',
  );

/** A valid 1×1 baseline JFIF JPEG. */
export const tinyJpeg = (): Buffer =>
  base64(
    '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAABAAEDAREAAhEBAxEB/8QAFAABAAAAAAAAAAAAAAAAAAAAB//EABQQAQAAAAAAAAAAAAAAAAAAAAD/xAAVAQEBAAAAAAAAAAAAAAAAAAAHCP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AC9UAkf/2Q==',
  );

/** A valid 1×1 GIF89a. */
export const tinyGif = (): Buffer =>
  base64('R0lGODlhAQABAPAAADNmzAAAACH5BAAAAAAALAAAAAABAAEAAAICRAEAOw==');

/** A valid 1×1 lossless WebP. */
export const tinyWebp = (): Buffer =>
  base64('UklGRh4AAABXRUJQVlA4TBEAAAAvAAAAAAdQs86Uuf+BiOh/AAA=');

/** A valid one-page PDF 1.4 (cross-reference offsets computed, not guessed). */
export function tinyPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>',
  ];
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export interface ZipEntry {
  name: string;
  data: Buffer | string;
}

/**
 * A ZIP archive (PKWARE APPNOTE 6.3: local headers, central directory, end record), entries
 * deflated like real Office and zip tools write them, or stored with `store: true`.
 */
export function zipArchive(entries: ZipEntry[], options: { store?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const method = options.store ? 0 : 8;
    const packed = options.store ? data : deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const PACKAGE_RELS = (target: string): string =>
  `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${target}"/>` +
  '</Relationships>';
const CONTENT_TYPES = (overrides: Record<string, string>): string =>
  `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  Object.entries(overrides)
    .map(([part, type]) => `<Override PartName="${part}" ContentType="${type}"/>`)
    .join('') +
  '</Types>';

/**
 * The smallest real WordprocessingML package Word opens: content types, the package relationship
 * and a one-paragraph document. `contentTypesLast` orders the entries the way some producers do
 * (parts first, `[Content_Types].xml` at the end); `media` adds a part before all of them.
 */
export function minimalDocx(
  options: { contentTypesLast?: boolean; media?: Buffer; store?: boolean } = {},
): Buffer {
  const entries: ZipEntry[] = [
    {
      name: '[Content_Types].xml',
      data: CONTENT_TYPES({
        '/word/document.xml':
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
      }),
    },
    { name: '_rels/.rels', data: PACKAGE_RELS('word/document.xml') },
    {
      name: 'word/document.xml',
      data:
        `${XML}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
        '<w:body><w:p><w:r><w:t>Hello from the helpdesk</w:t></w:r></w:p></w:body></w:document>',
    },
  ];
  if (options.contentTypesLast) entries.push(entries.shift()!);
  if (options.media) entries.unshift({ name: 'word/media/image1.png', data: options.media });
  return zipArchive(entries, { store: options.store });
}

/** The smallest real SpreadsheetML package Excel opens: a workbook with one empty sheet. */
export function minimalXlsx(): Buffer {
  return zipArchive([
    {
      name: '[Content_Types].xml',
      data: CONTENT_TYPES({
        '/xl/workbook.xml':
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
        '/xl/worksheets/sheet1.xml':
          'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
      }),
    },
    { name: '_rels/.rels', data: PACKAGE_RELS('xl/workbook.xml') },
    {
      name: 'xl/workbook.xml',
      data:
        `${XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
        '</Relationships>',
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `${XML}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>`,
    },
  ]);
}

/**
 * A PresentationML package skeleton: the parts type detection reads (content types, package
 * relationship, presentation part). PowerPoint itself also wants a slide master, layout and theme,
 * which detection never looks at; enough to test how the bytes are classified, not a deck.
 */
export function presentationPackageSkeleton(): Buffer {
  return zipArchive([
    {
      name: '[Content_Types].xml',
      data: CONTENT_TYPES({
        '/ppt/presentation.xml':
          'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
      }),
    },
    { name: '_rels/.rels', data: PACKAGE_RELS('ppt/presentation.xml') },
    {
      name: 'ppt/presentation.xml',
      data: `${XML}<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`,
    },
  ]);
}

/** A plain ZIP of two text files. */
export const plainZip = (): Buffer =>
  zipArchive([
    { name: 'readme.txt', data: 'hello\n' },
    { name: 'logs/app.log', data: 'line 1\nline 2\n' },
  ]);

/** The 64-byte header of an x86-64 ELF executable, padded: what `file` calls an ELF executable. */
export function elfExecutable(): Buffer {
  const bytes = Buffer.alloc(512);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(bytes, 0); // \x7fELF, 64-bit, LE, v1
  bytes.writeUInt16LE(2, 16); // e_type: executable
  bytes.writeUInt16LE(0x3e, 18); // e_machine: x86-64
  bytes.writeUInt32LE(1, 20); // e_version
  bytes.writeUInt16LE(64, 52); // e_ehsize
  return bytes;
}

/** A DOS stub pointing at a PE header (`MZ` … `PE\0\0`), as every Windows .exe/.dll starts. */
export function windowsExecutable(): Buffer {
  const bytes = Buffer.alloc(512);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c); // e_lfanew
  bytes.write('PE\0\0', 0x80, 'latin1');
  bytes.writeUInt16LE(0x8664, 0x84); // machine: x86-64
  return bytes;
}

/** The header of a 64-bit little-endian Mach-O executable (macOS). */
export function machOExecutable(): Buffer {
  const bytes = Buffer.alloc(512);
  bytes.writeUInt32LE(0xfeedfacf, 0); // MH_MAGIC_64, stored little-endian: cf fa ed fe
  bytes.writeUInt32LE(0x01000007, 4); // CPU_TYPE_X86_64
  bytes.writeUInt32LE(2, 12); // MH_EXECUTE
  return bytes;
}
