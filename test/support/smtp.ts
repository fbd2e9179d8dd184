import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { decodeQuotedPrintable } from './mail';
import { eventually } from './wait';

/** An email as the test SMTP server received it, parsed just enough for assertions. */
export interface ReceivedMail {
  /** RCPT TO addresses. */
  to: string[];
  /** Header names in lower case, values unfolded (the last one wins). */
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
  raw: string;
}

/**
 * What the server answers a recipient: `accept`, or an SMTP reply code with a message (4xx =
 * try again later, 5xx = never). Called once per RCPT TO, in order.
 */
export type SmtpVerdict = 'accept' | { code: number; message: string };

export interface TestSmtpServer {
  port: number;
  /** `smtp://127.0.0.1:<port>` for SMTP_URL. */
  url: string;
  /** Accepted emails, in arrival order. */
  received: ReceivedMail[];
  /** RCPT TO attempts per address (accepted or refused). */
  attempts: Map<string, number>;
  /** Decides each RCPT TO; the default accepts everything. */
  verdict: (address: string, attempt: number) => SmtpVerdict;
  mailsTo(address: string): ReceivedMail[];
  waitForMails(address: string, count?: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** A real SMTP server (the `smtp-server` package) on a random local port, without TLS or auth. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const state: Omit<TestSmtpServer, 'port' | 'url' | 'close'> = {
    received: [],
    attempts: new Map(),
    verdict: () => 'accept',
    mailsTo: (address) =>
      state.received.filter((m) => m.to.some((t) => t.toLowerCase() === address.toLowerCase())),
    waitForMails: (address, count = 1, timeoutMs = 15_000) =>
      eventually(
        () => {
          const mails = state.mailsTo(address);
          return mails.length >= count && mails;
        },
        { timeoutMs, what: `${count} email(s) to ${address} over SMTP` },
      ),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback) {
      const key = address.address.toLowerCase();
      const attempt = (state.attempts.get(key) ?? 0) + 1;
      state.attempts.set(key, attempt);
      const verdict = state.verdict(key, attempt);
      if (verdict === 'accept') return callback();
      const error = new Error(verdict.message) as Error & { responseCode: number };
      error.responseCode = verdict.code;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        state.received.push({
          ...parseMail(raw),
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(state, {
    port,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

interface Part {
  headers: Record<string, string>;
  body: string;
}

function splitPart(raw: string): Part {
  const normalised = raw.replace(/\r\n/g, '\n');
  const split = normalised.indexOf('\n\n');
  const head = split >= 0 ? normalised.slice(0, split) : normalised;
  const body = split >= 0 ? normalised.slice(split + 2) : '';
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decodeBody(part: Part): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (encoding === 'base64')
    return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

/** Leaves of a MIME tree, with their content types. */
function leaves(part: Part): Part[] {
  const type = part.headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!/^multipart\//i.test(type) || !boundary) return [part];
  return part.body
    .split(`--${boundary}`)
    .slice(1)
    .filter((chunk) => !chunk.startsWith('--'))
    .flatMap((chunk) => leaves(splitPart(chunk.replace(/^\n/, ''))));
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) in a header value. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([QB])\?([^?]*)\?=/gi,
      (_, _charset: string, kind: string, text: string) =>
        kind.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64').toString('utf8')
          : Buffer.from(decodeQuotedPrintable(text.replace(/_/g, ' ')), 'latin1').toString('utf8'),
    );
}

function parseMail(raw: string): Omit<ReceivedMail, 'to'> {
  const root = splitPart(raw);
  const parts = leaves(root);
  const body = (type: string) =>
    parts
      .filter((p) => (p.headers['content-type'] ?? 'text/plain').toLowerCase().startsWith(type))
      .map(decodeBody)
      .join('\n');
  return {
    headers: root.headers,
    subject: decodeWords(root.headers.subject ?? ''),
    text: body('text/plain'),
    html: body('text/html'),
    raw,
  };
}
