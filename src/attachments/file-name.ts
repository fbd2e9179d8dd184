/** What a file is called when nothing usable is left of the name it came with. */
export const FALLBACK_FILE_NAME = 'attachment';

/** Room for the name in every common filesystem (255 bytes) and in a header, with margin. */
export const MAX_FILE_NAME_BYTES = 200;

// Extensions that agree with each stored type, the usual one first. A name whose extension says
// something else gets the right one appended, so a downloaded file opens in the program its
// bytes belong to: "invoice.pdf.exe" that is really a PDF becomes "invoice.pdf.exe.pdf", and a
// text upload called "run.bat" or "page.html" becomes "run.bat.txt" / "page.html.txt".
const EXTENSIONS: Record<string, readonly string[]> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  // Office files are zips; one detected only as a zip keeps its Office extension.
  'application/zip': ['zip', 'docx', 'xlsx', 'pptx'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'text/plain': [
    ...['txt', 'text', 'log', 'csv', 'tsv', 'json', 'jsonl', 'ndjson', 'md', 'markdown'],
    ...['yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'xml', 'ics', 'vcf', 'vtt', 'srt'],
    ...['diff', 'patch'],
  ],
};

// Lone surrogates (\p{Cs} in a `u` regex) are dropped before anything else.
// C0/C1 controls, line and paragraph separators, and invisible or direction-changing marks
// ("photo\u202Egnp.exe" displays as "photoexe.png"). ZWJ/ZWNJ stay: emoji and several
// scripts (Persian, Indic) need them.
const INVISIBLE =
  /[\p{Cc}\p{Zl}\p{Zp}\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;
// Reserved on Windows, and trouble in shells and headers.
const RESERVED_CHARACTERS = /[<>:"|?*]/g;
// Windows device names, with or without an extension ("con.txt" is still the console).
const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\.|$)/i;
const EXTENSION = /\.([A-Za-z0-9]{1,16})$/;

const encoder = new TextEncoder();
const byteLength = (text: string): number => encoder.encode(text).length;

/**
 * A file name safe to store, show and send back: the last path component of what the client
 * sent, NFC-normalised, without control or invisible characters, reserved characters replaced,
 * no leading or trailing dots or spaces, no Windows device name, at most MAX_FILE_NAME_BYTES of
 * UTF-8 (cut between characters, keeping the extension), never empty. With the stored
 * `contentType`, the extension is made to agree with it. Idempotent.
 */
export function sanitizeFileName(raw: string | null | undefined, contentType?: string): string {
  // Normalise after dropping invisible marks, which could separate a letter from its accent.
  let name = (raw ?? '')
    .replace(/[\t\n\v\f\r]+/g, ' ')
    .replace(/\p{Cs}/gu, '')
    .replace(INVISIBLE, '')
    .normalize('NFC');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = name
    .replace(RESERVED_CHARACTERS, '_')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+|[\s.]+$/gu, '');
  if (!name) name = FALLBACK_FILE_NAME;
  if (DEVICE_NAME.test(name)) name = `_${name}`;

  const expected = contentType ? EXTENSIONS[contentType.toLowerCase()] : undefined;
  const extension = EXTENSION.exec(name)?.[1].toLowerCase();
  if (expected && !(extension && expected.includes(extension))) name = `${name}.${expected[0]}`;
  return fitLength(name);
}

/** Cuts the stem (never the extension) on a grapheme boundary to fit MAX_FILE_NAME_BYTES. */
function fitLength(name: string): string {
  if (byteLength(name) <= MAX_FILE_NAME_BYTES) return name;
  const suffix = EXTENSION.exec(name)?.[0] ?? '';
  const stem = name.slice(0, name.length - suffix.length);
  const budget = MAX_FILE_NAME_BYTES - byteLength(suffix);
  let kept = '';
  let used = 0;
  for (const { segment } of new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(stem)) {
    const size = byteLength(segment);
    if (used + size > budget) break;
    kept += segment;
    used += size;
  }
  kept = kept.replace(/[\s.]+$/u, '');
  return (kept || FALLBACK_FILE_NAME) + suffix;
}

/**
 * `Content-Disposition` for a download (RFC 6266): an ASCII `filename` for old clients and the
 * exact name as `filename*` (RFC 8187/5987 UTF-8 percent-encoding). The name is sanitised again
 * here, so no caller can put a quote, CR or LF into the header.
 */
export function contentDisposition(
  fileName: string,
  disposition: 'attachment' | 'inline' = 'attachment',
): string {
  const name = sanitizeFileName(fileName);
  return `${disposition}; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeExtValue(name)}`;
}

/** "Résumé 2026.pdf" → "Resume 2026.pdf"; what cannot be spelled in ASCII becomes "_". */
function asciiFallback(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '_')
    // Quoted-string specials, and % which some browsers decode in `filename`.
    .replace(/["\\%]/g, '_');
  const suffix = EXTENSION.exec(ascii)?.[0] ?? '';
  const stem = ascii.slice(0, ascii.length - suffix.length);
  return (/[A-Za-z0-9]/.test(stem) ? stem : FALLBACK_FILE_NAME) + suffix;
}

/** RFC 8187 `value-chars`: everything but attr-char percent-encoded from UTF-8. */
function encodeExtValue(name: string): string {
  return encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
