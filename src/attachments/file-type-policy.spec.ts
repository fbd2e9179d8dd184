import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UnsupportedMediaTypeError } from '@helpdesk/common';
import {
  elfExecutable,
  machOExecutable,
  minimalDocx,
  minimalXlsx,
  plainZip,
  presentationPackageSkeleton,
  tinyGif,
  tinyJpeg,
  tinyPdf,
  tinyPng,
  tinyWebp,
  windowsExecutable,
  zipArchive,
} from '@helpdesk/testing/sample-files';
import { loadConfig } from 'src/config/app-config';
import { ContentInspector } from './content-inspector';
import {
  FileTypePolicy,
  markupKind,
  SNIFF_BYTES,
  type FileClassification,
} from './file-type-policy';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

const policy = new FileTypePolicy(loadConfig({}));

/** Streams `bytes` through a ContentInspector in `chunkSize` pieces, as an upload would. */
async function inspect(
  bytes: Buffer,
  chunkSize = 16 * 1024,
  using = policy,
): Promise<{ classification: FileClassification; passed: Buffer }> {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize)
    chunks.push(bytes.subarray(at, at + chunkSize));
  const inspector = new ContentInspector(using);
  const passed: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    inspector,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        passed.push(chunk);
        callback();
      },
    }),
  );
  return { classification: inspector.classification, passed: Buffer.concat(passed) };
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('FileTypePolicy', () => {
  describe('accepts allowed formats by their bytes', () => {
    it.each([
      ['a 1×1 PNG', 'image/png', tinyPng],
      ['a 1×1 JPEG', 'image/jpeg', tinyJpeg],
      ['a 1×1 GIF', 'image/gif', tinyGif],
      ['a 1×1 WebP', 'image/webp', tinyWebp],
      ['a one-page PDF', 'application/pdf', tinyPdf],
      ['a plain ZIP', 'application/zip', plainZip],
      ['a minimal Word document', DOCX, () => minimalDocx()],
      [
        'a Word document with [Content_Types].xml last',
        DOCX,
        () => minimalDocx({ contentTypesLast: true }),
      ],
      ['a minimal Excel workbook', XLSX, minimalXlsx],
      ['a PowerPoint package', PPTX, presentationPackageSkeleton],
    ])('%s → %s', async (_name, type, make) => {
      const bytes = make();
      const { classification, passed } = await inspect(bytes);
      expect(classification).toEqual({ contentType: type, isText: false });
      expect(passed.equals(bytes)).toBe(true);
    });

    it('recognises a Word document whose first entry is larger than the sniffed head', async () => {
      // Word puts [Content_Types].xml first; other producers may write a big image first. The
      // head then ends inside that entry, and the word/ directory names it.
      const docx = minimalDocx({
        media: randomBytes(2 * SNIFF_BYTES),
        contentTypesLast: true,
        store: true,
      });
      const { classification } = await inspect(docx);
      expect(classification.contentType).toBe(DOCX);
    });

    it('recognises a PNG followed by more data than the sniffed head', async () => {
      const big = Buffer.concat([tinyPng(), Buffer.alloc(3 * SNIFF_BYTES, 7)]);
      const { classification, passed } = await inspect(big, 1000);
      expect(classification.contentType).toBe('image/png');
      expect(passed.equals(big)).toBe(true);
    });
  });

  describe('plain text', () => {
    it.each([
      ['ASCII', 'hello, world\n'],
      ['UTF-8 with a BOM', '\uFEFFnotes\n'],
      ['Unicode', 'Grüße, 你好, emoji 🎉\n'],
      ['CSV', 'id,name\n1,Ada\n'],
      ['JSON', '{"ok": true}\n'],
      ['Markdown', '# Title\n\n*text*\n'],
      ['XML that is neither HTML nor SVG', '<?xml version="1.0"?>\n<config><a>1</a></config>\n'],
      [
        'iCalendar (which file-type names text/calendar)',
        'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n',
      ],
      ['text that starts like a BMP', 'BMW fleet report\n'],
      ['a PHP source file', '<?php echo "hi";\n'],
      ['a lone "<" line', '< not a tag\n'],
    ])('stores %s as text/plain', async (_name, content) => {
      const { classification } = await inspect(utf8(content));
      expect(classification).toEqual({ contentType: 'text/plain', isText: true });
    });

    it('checks the whole stream, not just the head: a NUL far past the head is refused', async () => {
      const bytes = Buffer.concat([
        Buffer.alloc(SNIFF_BYTES * 2, 0x61),
        Buffer.from([0]),
        utf8('end'),
      ]);
      await expect(inspect(bytes)).rejects.toThrow(/NUL/);
    });

    it('refuses invalid UTF-8 past the head', async () => {
      const bytes = Buffer.concat([Buffer.alloc(SNIFF_BYTES * 2, 0x61), Buffer.from([0xc3, 0x28])]);
      await expect(inspect(bytes)).rejects.toThrow(/UTF-8/);
    });

    it('accepts a multi-byte character split across chunks and across the head boundary', async () => {
      // 'é' (c3 a9) straddles the SNIFF_BYTES boundary and every 1000-byte chunk boundary.
      const text = 'a'.repeat(SNIFF_BYTES - 1) + 'é'.repeat(5000);
      const { classification, passed } = await inspect(utf8(text), 1000);
      expect(classification.contentType).toBe('text/plain');
      expect(passed.toString('utf8')).toBe(text);
    });

    it('refuses a text file that ends inside a character', async () => {
      await expect(inspect(Buffer.from([0x61, 0x62, 0xe2, 0x82]))).rejects.toBeInstanceOf(
        UnsupportedMediaTypeError,
      );
      const long = Buffer.concat([Buffer.alloc(SNIFF_BYTES * 2, 0x61), Buffer.from([0xe2, 0x82])]);
      await expect(inspect(long)).rejects.toThrow(/UTF-8/);
    });

    it.each([
      ['a NUL byte', Buffer.from('abc\0def')],
      ['invalid UTF-8', Buffer.from([0x68, 0x69, 0xff, 0xfe])],
      ['an overlong encoding', Buffer.from([0xc0, 0xaf])],
      ['a UTF-8-encoded surrogate', Buffer.from([0xed, 0xa0, 0x80])],
      ['UTF-16', Buffer.from('\uFEFFhello', 'utf16le')],
    ])('refuses text with %s (415)', async (_name, bytes) => {
      await expect(inspect(bytes)).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
    });
  });

  describe('refuses executables whatever they are called', () => {
    it.each([
      ['an ELF executable', elfExecutable()],
      ['a Windows PE executable', windowsExecutable()],
      ['a Mach-O executable', machOExecutable()],
      ['a #!/bin/sh script', utf8('#!/bin/sh\necho pwned\n')],
      ['a #! script behind a BOM', utf8('\uFEFF#!/usr/bin/env python3\nprint(1)\n')],
      ['an ELF header followed by a PNG', Buffer.concat([elfExecutable(), tinyPng()])],
    ])('%s (415)', async (_name, bytes) => {
      await expect(inspect(bytes)).rejects.toThrow(UnsupportedMediaTypeError);
    });

    it('refuses the head of this machine’s own node binary (a real executable)', async () => {
      const file = await open(process.execPath, 'r');
      try {
        const { buffer, bytesRead } = await file.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
        await expect(inspect(buffer.subarray(0, bytesRead))).rejects.toThrow(/Executable files/);
      } finally {
        await file.close();
      }
    });

    it('refuses a JAR (a zip that runs)', async () => {
      const jar = zipArchive([
        { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\nMain-Class: A\n' },
        { name: 'A.class', data: Buffer.from([0xca, 0xfe, 0xba, 0xbe]) },
      ]);
      await expect(inspect(jar)).rejects.toThrow(
        'Files of type application/java-archive are not accepted.',
      );
    });
  });

  describe('refuses HTML and SVG even though they are text', () => {
    it.each([
      '<!DOCTYPE html><title>x</title>',
      '<!doctype HTML>\n<p>hi',
      '<html><body>x</body></html>',
      '  \n\t<HTML>',
      '\uFEFF<script>alert(1)</script>',
      '<iframe src="https://evil.example">',
      '<body onload=alert(1)>',
      '<img src=x onerror=alert(1)>',
      '<!-- a comment first --><p>x</p>',
      '<a href="javascript:alert(1)">x</a>',
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '<SVG onload="alert(1)">',
      '<svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>',
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
      '<?xml version="1.0"?>\n<!-- drawn by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg/>',
      '<?xml version="1.0"?><!DOCTYPE x [ <!ENTITY a "b"> ]><svg/>',
      '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
      '<?xml version="1.0"?><root xmlns:h="http://www.w3.org/1999/xhtml"><h:script/></root>',
    ])('%j (415)', async (content) => {
      await expect(inspect(utf8(content))).rejects.toThrow(/(HTML|SVG) documents are not accepted/);
    });

    it('refuses XML whose prolog runs past the head: what follows cannot be checked', async () => {
      const content = `<?xml version="1.0"?>\n<!-- ${'x'.repeat(SNIFF_BYTES)} -->\n<svg/>`;
      await expect(inspect(utf8(content))).rejects.toThrow(UnsupportedMediaTypeError);
    });
  });

  describe('the allow-list comes from ALLOWED_ATTACHMENT_TYPES', () => {
    const imagesOnly = new FileTypePolicy(loadConfig({ ALLOWED_ATTACHMENT_TYPES: 'image/png' }));

    it('refuses what is not on it, by the detected type', async () => {
      await expect(inspect(tinyPdf(), 1024, imagesOnly)).rejects.toThrow(
        'Files of type application/pdf are not accepted.',
      );
      await expect(inspect(utf8('hello'), 1024, imagesOnly)).rejects.toThrow(
        UnsupportedMediaTypeError,
      );
      await expect(inspect(tinyPng(), 1024, imagesOnly)).resolves.toMatchObject({
        classification: { contentType: 'image/png' },
      });
    });

    it('never lets executables, HTML or SVG in, even when configured', async () => {
      const reckless = new FileTypePolicy(
        loadConfig({
          ALLOWED_ATTACHMENT_TYPES: 'text/plain,text/html,image/svg+xml,application/x-elf',
        }),
      );
      expect([...reckless.allowedTypes]).toEqual(['text/plain']);
      await expect(inspect(elfExecutable(), 1024, reckless)).rejects.toThrow(
        UnsupportedMediaTypeError,
      );
      await expect(inspect(utf8('<html>'), 1024, reckless)).rejects.toThrow(
        UnsupportedMediaTypeError,
      );
    });
  });
});

describe('markupKind', () => {
  it.each([
    ['plain words', 'hello'],
    ['an unknown leading tag (XML-ish, not HTML)', '<note>hi</note>'],
    ['"<abbr", which is not "<a"', '<abbr>'],
    ['an HTML tag later in the text', 'hello <script>alert(1)</script>'],
    ['XML with a plain root', '<?xml version="1.0"?><feed/>'],
    ['an unfinished XML prolog in a complete file', '<?xml version="1.0"?><!-- open'],
  ])('lets %s through', (_name, text) => {
    expect(markupKind(text, true)).toBeUndefined();
  });

  it('refuses an XML prolog that does not finish inside an unfinished head', () => {
    expect(markupKind('<?xml version="1.0"?><!-- open', false)).toBe('XML');
  });
});
