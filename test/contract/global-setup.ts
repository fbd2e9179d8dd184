// `npm run test:contract`: the usual per-run database (../global-setup), plus Stoplight Prism as a
// validating proxy for every test app (docs/contract.md). Prism's upstream is a small router that
// hands each replayed request back to the recording proxy of the app it came from
// (libs/testing/src/contract-proxy.ts), which answers with the response it recorded.
// (No path aliases here: Jest loads this file outside its module mapper.)
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import baseSetup from '../global-setup';

const REPLAY_HEADER = 'x-contract-replay';

declare global {
  var contractPrism: { prism: ChildProcess; router: Server } | undefined;
}

export default async function globalSetup(): Promise<void> {
  await baseSetup();
  const document = process.env.CONTRACT_DOCUMENT;
  if (!document || !existsSync(document)) {
    throw new Error(
      'CONTRACT_DOCUMENT must name the dumped OpenAPI document (npm run test:contract)',
    );
  }
  const router = createServer((req, res) => {
    const [port] = String(req.headers[REPLAY_HEADER] ?? '').split(':');
    const upstream = request(
      {
        host: '127.0.0.1',
        port: Number(port),
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (ures) => {
        res.writeHead(ures.statusCode ?? 502, ures.headers);
        ures.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(599).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => router.listen(0, '127.0.0.1', resolve));
  const routerPort = (router.address() as AddressInfo).port;
  const prismPort = await freePort();
  const logDir = join(process.cwd(), 'var', 'contract');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, 'prism.log'));
  const prism = spawn(
    join(process.cwd(), 'node_modules', '.bin', 'prism'),
    [
      'proxy',
      document,
      `http://127.0.0.1:${routerPort}`,
      '--host',
      '127.0.0.1',
      '--port',
      String(prismPort),
      // Verdicts come from the sl-violations header; Prism's log printer crashes the process on
      // some error lines of hostile fuzz requests, so it prints nothing.
      '--verboseLevel',
      'silent',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SCARF_ANALYTICS: 'false' } },
  );
  prism.stdout.pipe(log);
  prism.stderr.pipe(log);
  await waitForPort(prismPort, prism);
  globalThis.contractPrism = { prism, router };
  process.env.CONTRACT_PRISM_URL = `http://127.0.0.1:${prismPort}`;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function waitForPort(port: number, prism: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (prism.exitCode !== null)
      throw new Error(`prism exited with ${prism.exitCode} (var/contract/prism.log)`);
    const up = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/health/live' }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('prism did not start within 120 s (var/contract/prism.log)');
}
