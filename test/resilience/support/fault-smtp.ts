import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { eventually } from '@helpdesk/testing';

export type Verdict = 'accept' | { code: number; message: string };

/**
 * An SMTP server for fault injection. A mail counts as delivered only when the server has
 * answered 250 to its DATA, as a real MTA would: a client that dies while `holdData` keeps the
 * reply back has delivered nothing.
 */
export interface FaultSmtp {
  url: string;
  /** Delivered mails' RCPT TO addresses, one entry per accepted mail. */
  delivered: string[];
  attempts: Map<string, number>;
  verdict: (address: string, attempt: number) => Verdict;
  /** While true, DATA replies are held back (the client waits mid-delivery). */
  holdData: boolean;
  /** Sessions currently waiting for their DATA reply. */
  held: number;
  count(address: string): number;
  waitFor(address: string, count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultSmtp(): Promise<FaultSmtp> {
  const closedSessions = new Set<string>();
  const state = {
    delivered: [] as string[],
    attempts: new Map<string, number>(),
    verdict: ((): Verdict => 'accept') as FaultSmtp['verdict'],
    holdData: false,
    held: 0,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onClose(session) {
      closedSessions.add(session.id);
    },
    onRcptTo(address, _session, callback) {
      const key = address.address.toLowerCase();
      const attempt = (state.attempts.get(key) ?? 0) + 1;
      state.attempts.set(key, attempt);
      const verdict = state.verdict(key, attempt);
      if (verdict === 'accept') return callback();
      callback(Object.assign(new Error(verdict.message), { responseCode: verdict.code }));
    },
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        const finish = () => {
          if (state.holdData && !closedSessions.has(session.id)) return setTimeout(finish, 50);
          if (closedSessions.has(session.id)) return callback(new Error('client gone'));
          state.delivered.push(...session.envelope.rcptTo.map((r) => r.address.toLowerCase()));
          callback();
        };
        if (state.holdData) {
          state.held += 1;
          const release = () => {
            if (state.holdData && !closedSessions.has(session.id)) return setTimeout(release, 50);
            state.held -= 1;
            finish();
          };
          release();
        } else finish();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const smtp: FaultSmtp = Object.assign(state, {
    url: `smtp://127.0.0.1:${port}`,
    count: (address: string) => state.delivered.filter((a) => a === address.toLowerCase()).length,
    waitFor: async (address: string, count: number, timeoutMs: number) => {
      await eventually(() => smtp.count(address) >= count, {
        timeoutMs,
        intervalMs: 100,
        what: `${count} mail(s) to ${address}`,
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return smtp;
}
