import fc from 'fast-check';
import {
  contentDisposition,
  FALLBACK_FILE_NAME,
  MAX_FILE_NAME_BYTES,
  sanitizeFileName,
} from './file-name';

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

describe('sanitizeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\System32\\cmd.exe', 'cmd.exe'],
    ['C:\\Users\\ada\\Desktop\\notes.txt', 'notes.txt'],
    ['/absolute/path/photo.png', 'photo.png'],
    ['..', FALLBACK_FILE_NAME],
    ['', FALLBACK_FILE_NAME],
    ['   ', FALLBACK_FILE_NAME],
    ['dir/', FALLBACK_FILE_NAME],
    ['.htaccess', 'htaccess'],
    ['...hidden.txt', 'hidden.txt'],
    ['trailing dots...', 'trailing dots'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['LPT1.log', '_LPT1.log'],
    ['COM¹', '_COM¹'],
    ['CONSOLE.txt', 'CONSOLE.txt'],
    ['evil\r\nSet-Cookie: a=b.txt', 'evil Set-Cookie_ a=b.txt'],
    ['tab\there.txt', 'tab here.txt'],
    ['nul\u0000byte.txt', 'nulbyte.txt'],
    ['say "hi".txt', 'say _hi_.txt'],
    ['a<b>c:d|e?f*g.txt', 'a_b_c_d_e_f_g.txt'],
    ["it's (final) 100%.pdf", "it's (final) 100%.pdf"],
    ['many     spaces.txt', 'many spaces.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['zero\u200Bwidth.txt', 'zerowidth.txt'],
    ['Cafe\u0301.txt', 'Café.txt'], // NFD → NFC
    ['報告書 2026.docx', '報告書 2026.docx'],
    ['emoji 🎉.png', 'emoji 🎉.png'],
    ['lone \uD800 surrogate.txt', 'lone surrogate.txt'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeFileName(raw)).toBe(expected);
  });

  it('never returns an empty name', () => {
    expect(sanitizeFileName(undefined)).toBe(FALLBACK_FILE_NAME);
    expect(sanitizeFileName(null)).toBe(FALLBACK_FILE_NAME);
  });

  describe('makes the extension agree with the stored type', () => {
    it.each([
      ['photo.png', 'image/png', 'photo.png'],
      ['photo.JPG', 'image/jpeg', 'photo.JPG'],
      ['photo.jpg', 'image/png', 'photo.jpg.png'],
      ['invoice.pdf.exe', 'application/pdf', 'invoice.pdf.exe.pdf'],
      ['page.html', 'text/plain', 'page.html.txt'],
      ['run.bat', 'text/plain', 'run.bat.txt'],
      ['README', 'text/plain', 'README.txt'],
      ['server.log', 'text/plain', 'server.log'],
      ['data.csv', 'text/plain', 'data.csv'],
      ['report.docx', 'application/zip', 'report.docx'],
      ['archive', 'application/zip', 'archive.zip'],
      ['', 'image/png', 'attachment.png'],
      ['sound.mp3', 'audio/mpeg', 'sound.mp3'], // a type we know no extensions for
    ])('%j stored as %s → %j', (raw, type, expected) => {
      expect(sanitizeFileName(raw, type)).toBe(expected);
    });
  });

  describe('length', () => {
    it('cuts a 500-character name to the byte limit, keeping the extension', () => {
      const name = sanitizeFileName(`${'a'.repeat(500)}.pdf`);
      expect(bytes(name)).toBe(MAX_FILE_NAME_BYTES);
      expect(name.endsWith('a.pdf')).toBe(true);
    });

    it('cuts multi-byte names between characters, not inside one', () => {
      const name = sanitizeFileName(`${'日本'.repeat(200)}.txt`);
      expect(bytes(name)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
      expect(name).toMatch(/^(日本)+日?\.txt$/);
      expect(name).not.toContain('\uFFFD');
    });

    it('does not split an emoji sequence', () => {
      const family = '👩‍👩‍👧‍👦'; // four people joined by ZWJ: one grapheme, 25 bytes
      const name = sanitizeFileName(`${'x'.repeat(190)}${family}${family}.txt`);
      expect(name).toBe(`${'x'.repeat(190)}.txt`);
    });

    it('cuts a name without an extension too', () => {
      expect(bytes(sanitizeFileName('b'.repeat(500)))).toBe(MAX_FILE_NAME_BYTES);
    });
  });

  describe('for any input', () => {
    const anyName = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.constantFrom('..', '.', '/', '\\', 'CON', 'a/../b', '\r\n', '"', '\u202E'),
    );
    const anyType = fc.constantFrom(undefined, 'image/png', 'text/plain', 'application/zip');

    it('is safe: short, non-empty, one path component, no controls, quotes or NUL', () => {
      fc.assert(
        fc.property(anyName, anyType, (raw, type) => {
          const name = sanitizeFileName(raw, type);
          expect(name.length).toBeGreaterThan(0);
          expect(bytes(name)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
          expect(name).not.toMatch(/[/\\<>:"|?*\p{Cc}\p{Cs}]/u);
          expect(name).not.toMatch(/^[.\s]|[.\s]$/u);
          expect(name).toBe(name.normalize('NFC'));
        }),
        { numRuns: 2000 },
      );
    });

    it('is idempotent', () => {
      fc.assert(
        fc.property(anyName, anyType, (raw, type) => {
          const once = sanitizeFileName(raw, type);
          expect(sanitizeFileName(once, type)).toBe(once);
        }),
        { numRuns: 2000 },
      );
    });
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII filename and the exact UTF-8 name (RFC 6266 / 8187)', () => {
    expect(contentDisposition('Résumé 2026.pdf')).toBe(
      `attachment; filename="Resume 2026.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%202026.pdf`,
    );
  });

  it('keeps plain ASCII names as they are', () => {
    expect(contentDisposition('report.pdf')).toBe(
      `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
    );
  });

  it('falls back to "attachment" when nothing of the stem is ASCII', () => {
    expect(contentDisposition('報告書.docx')).toBe(
      `attachment; filename="attachment.docx"; filename*=UTF-8''%E5%A0%B1%E5%91%8A%E6%9B%B8.docx`,
    );
  });

  it('cannot be broken out of: quotes, backslashes, CR/LF and ; are neutralised', () => {
    const header = contentDisposition('a"; filename="evil.html\r\nX-Injected: 1\\.txt');
    expect(header).not.toMatch(/[\r\n]/);
    const [, fallback, encoded] = /^attachment; filename="([^"]*)"; filename\*=UTF-8''(\S+)$/.exec(
      header,
    )!;
    expect(fallback).not.toMatch(/["\\]/);
    expect(encoded).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
  });

  it("percent-encodes what RFC 8187 attr-char excludes, such as ' ( ) * %", () => {
    expect(contentDisposition("it's (v2) * 100%.txt")).toBe(
      `attachment; filename="it's (v2) _ 100_.txt"; filename*=UTF-8''it%27s%20%28v2%29%20_%20100%25.txt`,
    );
  });

  it('round-trips: decoding filename* gives back the sanitised name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), (raw) => {
        const header = contentDisposition(raw);
        const encoded = header.slice(header.indexOf("UTF-8''") + 7);
        expect(decodeURIComponent(encoded)).toBe(sanitizeFileName(raw));
        expect(header).toMatch(/^attachment; filename="[\x20-\x7e]*"; /);
      }),
      { numRuns: 1000 },
    );
  });

  it('can say inline', () => {
    expect(contentDisposition('a.png', 'inline')).toMatch(/^inline; /);
  });
});
