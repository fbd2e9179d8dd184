import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './wait';

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

/**
 * Waits until `count` emails to `to` are in MAIL_DIR (delivery is asynchronous: a queue worker
 * writes them after the request's transaction commits) and returns them, oldest first.
 */
export function waitForMails(dir: string, to: string, count = 1, timeoutMs = 10_000) {
  return eventually(
    () => {
      const mails = mailsIn(dir, to);
      return mails.length >= count && mails;
    },
    { timeoutMs, what: `${count} email(s) to ${to} in ${dir}` },
  );
}
