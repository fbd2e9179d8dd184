import { Injectable, Logger } from '@nestjs/common';
import { fileTypeFromBuffer } from 'file-type';
import { UnsupportedMediaTypeError } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';

/**
 * How many leading bytes decide a file's type. file-type needs ~4 KiB for most formats; Office
 * Open XML needs the zip entries up to `[Content_Types].xml`, which real producers write first
 * and compress to a few hundred bytes. 64 KiB covers them with room to spare and is all the
 * memory one upload holds beyond the stream's own buffers.
 */
export const SNIFF_BYTES = 64 * 1024;

export const TEXT_PLAIN = 'text/plain';

export interface FileClassification {
  /** The type the file is stored and served with. */
  contentType: string;
  /** Plain text: the rest of the stream must stay valid UTF-8 without NUL bytes. */
  isText: boolean;
}

// Refused whatever ALLOWED_ATTACHMENT_TYPES says (API.md section 7): programs, and documents a
// browser would render with script (served from our origin they would be stored XSS).
const NEVER_ALLOWED = new Set([
  'application/x-elf',
  'application/x-msdownload',
  'application/x-mach-binary',
  'application/x-sharedlib',
  'application/x-executable',
  'application/vnd.microsoft.portable-executable',
  'application/x-sh',
  'application/x-shellscript',
  'application/java-vm',
  'application/wasm',
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
]);

// file-type names some allowed formats more precisely than the allow-list does.
const SAME_AS: Record<string, string> = { 'image/apng': 'image/png' };

/**
 * Decides what an uploaded file is from its own bytes; the declared Content-Type and the file
 * name are never consulted. Binary formats are recognised by file-type; anything it does not
 * recognise as an allowed format may still be plain text (valid UTF-8, no NUL bytes), stored as
 * `text/plain` — unless it is a script (`#!`), HTML or SVG.
 */
@Injectable()
export class FileTypePolicy {
  private readonly logger = new Logger(FileTypePolicy.name);
  readonly allowedTypes: ReadonlySet<string>;

  constructor(config: AppConfig) {
    const configured = config.allowedAttachmentTypes.map((type) => type.toLowerCase());
    const ignored = configured.filter((type) => NEVER_ALLOWED.has(type));
    if (ignored.length) {
      this.logger.warn(`ALLOWED_ATTACHMENT_TYPES: ${ignored.join(', ')} stay refused (unsafe)`);
    }
    this.allowedTypes = new Set(configured.filter((type) => !NEVER_ALLOWED.has(type)));
  }

  /**
   * The type of a file from its first bytes (`head`, up to SNIFF_BYTES); `complete` says the head
   * is the whole file. Throws UnsupportedMediaTypeError (415) for anything not allowed. A text
   * verdict covers only the head: stream the rest through `PlainTextCheck`.
   */
  async classify(head: Uint8Array, complete: boolean): Promise<FileClassification> {
    const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
    const program = executableKind(bytes);
    if (program)
      throw new UnsupportedMediaTypeError(`Executable files (${program}) are not accepted.`);

    const detected = await detectType(bytes);
    if (detected && NEVER_ALLOWED.has(detected)) {
      throw new UnsupportedMediaTypeError(`Files of type ${detected} are not accepted.`);
    }
    if (detected && detected !== TEXT_PLAIN && this.allowedTypes.has(detected)) {
      return { contentType: detected, isText: false };
    }

    // Not a recognised allowed format. Text formats file-type knows (XML, iCalendar, vCard…) and
    // text that merely starts like a binary magic number ("BM…", "ID3…") end up here too: as
    // text/plain they are harmless.
    if (this.allowedTypes.has(TEXT_PLAIN) && isPlainTextHead(bytes, complete)) {
      const markup = markupKind(new TextDecoder('utf-8').decode(bytes), complete);
      if (markup) throw new UnsupportedMediaTypeError(`${markup} documents are not accepted.`);
      return { contentType: TEXT_PLAIN, isText: true };
    }
    throw new UnsupportedMediaTypeError(
      detected
        ? `Files of type ${detected} are not accepted.`
        : 'The file is not of an accepted type.',
    );
  }
}

async function detectType(head: Buffer): Promise<string | undefined> {
  try {
    const mime = (await fileTypeFromBuffer(head))?.mime.toLowerCase();
    return mime ? (SAME_AS[mime] ?? mime) : undefined;
  } catch {
    // A parser failure says only that this is no format file-type knows; the text rules decide.
    return undefined;
  }
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Which kind of program the bytes start like, if any. */
export function executableKind(head: Buffer): string | undefined {
  const word = head.length >= 4 ? head.readUInt32BE(0) : -1;
  if (word === 0x7f454c46) return 'ELF';
  if (head[0] === 0x4d && head[1] === 0x5a) return 'PE/MZ';
  // Mach-O 32/64-bit in either byte order, and universal binaries (0xcafebabe is also the
  // Java class magic: refused either way).
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe, 0xcafebabf].includes(word)) {
    return 'Mach-O';
  }
  const start = UTF8_BOM.every((byte, i) => head[i] === byte) ? 3 : 0;
  if (head[start] === 0x23 && head[start + 1] === 0x21) return '#! script';
  return undefined;
}

/** Valid UTF-8 without NUL bytes; a head cut mid-character is not held against the file. */
export function isPlainTextHead(head: Buffer, complete: boolean): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks the whole of a text upload, chunk by chunk as it streams (the head only proved the start):
 * valid UTF-8 across chunk boundaries, no NUL byte anywhere.
 */
export class PlainTextCheck {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  /** Throws UnsupportedMediaTypeError when `chunk` breaks the rules. */
  push(chunk: Uint8Array): void {
    if (chunk.includes(0)) throw notText('contains NUL bytes');
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      throw notText('is not valid UTF-8');
    }
  }

  /** Call once after the last chunk: a file may not end inside a character. */
  end(): void {
    try {
      this.decoder.decode();
    } catch {
      throw notText('is not valid UTF-8');
    }
  }
}

function notText(reason: string): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    `The file is not of an accepted type: as text it ${reason}.`,
  );
}

// Tags that make a browser sniff text as HTML (WHATWG MIME Sniffing, "identify an unknown
// MIME type"), plus others that load or run something. A text file starting with one is HTML.
const HTML_TAGS = new Set([
  ...['html', 'head', 'body', 'script', 'iframe', 'h1', 'div', 'font', 'table', 'a', 'style'],
  ...['title', 'b', 'br', 'p', 'meta', 'link', 'base', 'img', 'object', 'embed', 'form'],
  ...['frameset', 'frame', 'xmp', 'noscript', 'template', 'math', 'svg', 'input', 'button'],
]);
const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
const XHTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

type Markup = 'HTML' | 'SVG' | 'XML';

/**
 * Whether text is an HTML or SVG document: after an optional BOM and whitespace it opens with an
 * HTML tag, `<!--`, an html/svg doctype, an `<svg` root, or it is XML whose root element is
 * html/svg or which uses their namespaces. An XML prolog that runs past the head of an unfinished
 * file ('XML') is refused too: what follows it cannot be checked.
 */
export function markupKind(text: string, complete: boolean): Markup | undefined {
  const doc = text.replace(/^\uFEFF?[\t\n\f\r ]*/, '');
  if (!doc.startsWith('<')) return undefined;
  if (doc.startsWith('<!--')) return 'HTML';
  // `<?xml` covers the declaration and `<?xml-stylesheet`; other PIs (`<?php`) are just text.
  if (/^<\?xml/i.test(doc) || /^<!doctype[\s>]/i.test(doc)) return xmlDocumentKind(doc, complete);
  const tag = /^<([a-z][\w.:-]*)/i.exec(doc);
  if (!tag) return undefined;
  const name = localName(tag[1]);
  if (name === 'svg') return 'SVG';
  return HTML_TAGS.has(name) ? 'HTML' : undefined;
}

/** `svg:svg` → `svg`, lower-cased. */
function localName(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.lastIndexOf(':') + 1).toLowerCase();
}

/** As the root (or doctype) of an XML document, only html and svg make it a web page. */
function xmlRootKind(qualifiedName: string): Markup | undefined {
  const name = localName(qualifiedName);
  return name === 'svg' ? 'SVG' : name === 'html' ? 'HTML' : undefined;
}

/** Walks the prolog (declarations, comments, doctype) to the root element. */
function xmlDocumentKind(doc: string, complete: boolean): Markup | undefined {
  if (doc.includes(SVG_NAMESPACE)) return 'SVG';
  if (doc.includes(XHTML_NAMESPACE)) return 'HTML';
  let at = 0;
  for (;;) {
    while (at < doc.length && /\s/.test(doc[at])) at += 1;
    const rest = doc.slice(at, at + 512);
    let end: number;
    if (rest.startsWith('<?')) {
      end = doc.indexOf('?>', at + 2);
      if (end >= 0) end += 2;
    } else if (rest.startsWith('<!--')) {
      end = doc.indexOf('-->', at + 4);
      if (end >= 0) end += 3;
    } else if (/^<!doctype[\s>]/i.test(rest)) {
      const name = /^<!doctype\s+([^\s>[]+)/i.exec(rest)?.[1];
      const kind = name ? xmlRootKind(name) : undefined;
      if (kind) return kind;
      end = doctypeEnd(doc, at);
    } else {
      const root = /^<([A-Za-z_][\w.:-]*)/.exec(rest);
      // Not XML after all (or a root we can name): plain text rules apply.
      return root ? xmlRootKind(root[1]) : undefined;
    }
    if (end < 0) return complete ? undefined : 'XML';
    at = end;
  }
}

/** The index after a doctype's closing `>`, past any internal subset `[ … ]`; -1 if not in view. */
function doctypeEnd(doc: string, start: number): number {
  let inSubset = false;
  let quote: string | undefined;
  for (let i = start + 2; i < doc.length; i += 1) {
    const c = doc[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') inSubset = true;
    else if (c === ']') inSubset = false;
    else if (c === '>' && !inSubset) return i + 1;
  }
  return -1;
}
