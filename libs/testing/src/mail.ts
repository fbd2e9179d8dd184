import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Decodes quoted-printable soft breaks and escapes enough to read links in `.eml` files. */
export function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The `.eml` files written to MAIL_DIR, decoded, optionally only those addressed to `to`. */
export function mailsIn(dir: string, to?: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => decodeQuotedPrintable(readFileSync(join(dir, name), 'utf8')))
    .filter((mail) => !to || new RegExp(`^To: .*${to.replace(/[.+]/g, '\\$&')}`, 'mi').test(mail));
}
