import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

// `npm run test:contract` (docs/contract.md): every exchange of a test app is checked against
// the OpenAPI document by Stoplight Prism. The app answers the client itself, untouched (bodies
// stream, event streams stay open, bytes stay bytes); a copy of each exchange is then replayed
// through `prism proxy`, whose upstream (test/contract/global-setup.ts) hands the recorded
// response back, so Prism validates the real request and the real response. Its verdicts
// (the `sl-violations` header) are judged here; a test with a violation fails (setup.ts).

/** Larger bodies are passed through but not replayed (Prism buffers whole bodies). */
const CAPTURE_LIMIT = 4 * 1024 * 1024;
const REPLAY_HEADER = 'x-contract-replay';
/** Served by the framework, not part of the API the document describes. */
const UNDOCUMENTED = /^\/docs(-json|-yaml|\/|$)/;

interface Violation {
  location: string[];
  severity: string;
  message: string;
}

interface Exchange {
  method: string;
  url: string;
  requestHeaders: IncomingMessage['headers'];
  requestBody: Buffer;
  status: number;
  responseHeaders: IncomingMessage['headers'];
  responseBody: Buffer;
  truncated: boolean;
}

const found: string[] = [];
export const contractStats = { checked: 0, skipped: 0 };

/** The violations seen since the last call (setup.ts fails the running test with them). */
export function takeContractViolations(): string[] {
  return found.splice(0, found.length);
}

export interface ContractProxy {
  url: string;
  /** Waits for the checks still running (event streams are checked when they close). */
  close(): Promise<void>;
}

/** Puts a recording proxy in front of `app` (which must not listen itself). */
export async function startContractProxy(
  app: NestFastifyApplication,
  prismUrl: string,
): Promise<ContractProxy> {
  const appServer = app.getHttpServer();
  // The app's own request handler, reached over a socket of its own (so `app.listen` stays free
  // for tests that open raw connections).
  const inner = createServer((req, res) => appServer.emit('request', req, res));
  const replays = new Map<string, Exchange>();
  const pending = new Set<Promise<void>>();
  let next = 0;

  const outer = createServer((req, res) => {
    const replayId = req.headers[REPLAY_HEADER];
    if (typeof replayId === 'string') {
      const exchange = replays.get(replayId.split(':')[1]);
      req.resume();
      if (!exchange) return void res.writeHead(599).end();
      res.writeHead(exchange.status, withoutHopByHop(exchange.responseHeaders));
      return void res.end(exchange.responseBody);
    }
    const requestChunks: Buffer[] = [];
    let requestSize = 0;
    const responseChunks: Buffer[] = [];
    let responseSize = 0;
    req.on('data', (chunk: Buffer) => {
      requestSize += chunk.length;
      if (requestSize <= CAPTURE_LIMIT) requestChunks.push(chunk);
    });
    const upstream = httpRequest({
      host: '127.0.0.1',
      port: (inner.address() as AddressInfo).port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    });
    req.pipe(upstream);
    req.on('error', () => upstream.destroy());
    let recorded = false;
    const record = (ures: IncomingMessage) => {
      if (recorded) return;
      recorded = true;
      const exchange: Exchange = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        requestHeaders: req.headers,
        requestBody: Buffer.concat(requestChunks),
        status: ures.statusCode ?? 0,
        responseHeaders: ures.headers,
        responseBody: Buffer.concat(responseChunks),
        truncated: requestSize > CAPTURE_LIMIT || responseSize > CAPTURE_LIMIT,
      };
      const check = judge(exchange).finally(() => pending.delete(check));
      pending.add(check);
      return check;
    };
    upstream.on('response', (ures) => {
      res.writeHead(ures.statusCode ?? 502, ures.headers);
      ures.on('data', (chunk: Buffer) => {
        responseSize += chunk.length;
        if (responseSize <= CAPTURE_LIMIT) responseChunks.push(chunk);
        res.write(chunk);
      });
      // Checked before the client sees the end, so a violation belongs to the running test.
      ures.on('end', () => void record(ures)?.finally(() => res.end()));
      // An event stream the client hung up on: checked with what it sent so far.
      res.on('close', () => {
        if (!ures.complete) {
          ures.destroy();
          void record(ures);
        }
      });
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
  });

  async function judge(exchange: Exchange): Promise<void> {
    const path = exchange.url.split('?')[0];
    if (UNDOCUMENTED.test(path)) return;
    if (exchange.truncated) {
      contractStats.skipped += 1;
      return;
    }
    contractStats.checked += 1;
    if (!readableJson(exchange)) {
      // Prism never answers a request whose JSON does not parse (it waits for the body again);
      // no document accepts it, so the server must have refused it.
      if (exchange.status < 400 || exchange.status >= 500) {
        found.push(`${exchange.method} ${exchange.url} → ${exchange.status}: accepted broken JSON`);
      }
      return;
    }
    const id = String((next += 1));
    replays.set(id, exchange);
    try {
      const verdict = await replay(prismUrl, exchange, `${port}:${id}`);
      const multipart = String(exchange.requestHeaders['content-type']).startsWith('multipart/');
      for (const problem of verdictProblems(exchange, verdict, { multipart })) {
        found.push(`${exchange.method} ${exchange.url} → ${exchange.status}: ${problem}`);
      }
    } catch (error) {
      found.push(`${exchange.method} ${exchange.url}: Prism did not answer (${String(error)})`);
    } finally {
      replays.delete(id);
    }
  }

  await new Promise<void>((resolve) => inner.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => outer.listen(0, '127.0.0.1', resolve));
  const port = (outer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      while (pending.size) await Promise.allSettled([...pending]);
      outer.closeAllConnections();
      inner.closeAllConnections();
      await Promise.all([
        new Promise((resolve) => outer.close(resolve)),
        new Promise((resolve) => inner.close(resolve)),
      ]);
    },
  };
}

function readableJson(exchange: Exchange): boolean {
  const type = String(exchange.requestHeaders['content-type'] ?? '');
  if (!exchange.requestBody.length || !/^application\/([\w.+-]*\+)?json/i.test(type)) return true;
  try {
    JSON.parse(exchange.requestBody.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

interface Verdict {
  status: number;
  violations: Violation[];
  body: string;
}

function replay(prismUrl: string, exchange: Exchange, replayId: string): Promise<Verdict> {
  const headers = withoutHopByHop(exchange.requestHeaders);
  delete headers.host;
  headers[REPLAY_HEADER] = replayId;
  if (exchange.requestBody.length) headers['content-length'] = String(exchange.requestBody.length);
  else delete headers['content-length'];
  const target = new URL(exchange.url, prismUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      target,
      { method: exchange.method, headers, timeout: 120_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const header = res.headers['sl-violations'];
          let violations: Violation[] = [];
          if (typeof header === 'string') {
            try {
              violations = JSON.parse(header.replace(/^Too many violations! /, '')) as Violation[];
            } catch {
              violations = [{ location: ['response'], severity: 'Error', message: header }];
            }
          }
          resolve({
            status: res.statusCode ?? 0,
            violations,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(exchange.requestBody.length ? exchange.requestBody : undefined);
  });
}

/**
 * The rule (docs/contract.md): any response that disagrees with the document fails; a request
 * the document refuses is fine only when the server refused it too (a 4xx) — negative tests
 * send such requests on purpose, and then the document and the server must agree.
 */
export function verdictProblems(
  exchange: Pick<Exchange, 'status'>,
  verdict: Verdict,
  request: { multipart?: boolean } = {},
): string[] {
  const refused = exchange.status >= 400 && exchange.status < 500;
  const errors = verdict.violations.filter(
    (v) =>
      v.severity === 'Error' &&
      // Prism reads a multipart array field sent as one part as a scalar (an array of files is
      // repeated parts in OpenAPI's multipart encoding; one file is still that array).
      !(request.multipart && v.location[0] === 'request' && / must be array$/.test(v.message)),
  );
  const problems = errors
    .filter((v) => v.location[0] !== 'request' || !refused)
    .map((v) => `${v.location.join('.')}: ${v.message}`);
  const unrouted = verdict.violations.find((v) => /route not found/i.test(v.message));
  if (unrouted && !(exchange.status === 404 || exchange.status === 405)) {
    problems.push(`an undocumented path or method answered ${exchange.status}`);
  }
  // Prism answered itself (it could not even read the request): only right if the server
  // refused it as well.
  if (verdict.status !== exchange.status && !verdict.violations.length && !refused) {
    problems.push(`Prism answered ${verdict.status}: ${verdict.body.slice(0, 300)}`);
  }
  return problems;
}

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
];

function withoutHopByHop(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const copy: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.includes(name)) copy[name] = value;
  }
  return copy;
}
