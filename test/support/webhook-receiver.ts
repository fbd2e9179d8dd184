import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Order of arrival, from 0. */
  index: number;
  /** Arrival time (ms since the epoch). */
  at: number;
}

export interface ReceiverReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** Decides each reply; may wait (to hold a request open) or never settle (a hanging target). */
export type ReceiverHandler = (request: ReceivedRequest) => ReceiverReply | Promise<ReceiverReply>;

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hook` */
  url: string;
  origin: string;
  received: ReceivedRequest[];
  /** Bodies of POST /hook requests, parsed. */
  events(): {
    id: string;
    type: string;
    sequence: number;
    data: { ticket: { id: string }; [key: string]: unknown };
  }[];
  handler: ReceiverHandler;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (random port) standing in for a webhook consumer. Replies 200
 * unless `handler` says otherwise; records every request in arrival order.
 */
export async function startWebhookReceiver(
  handler: ReceiverHandler = () => ({ status: 200 }),
): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const open = new Set<ServerResponse>();
  const receiver = { handler } as WebhookReceiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        index: received.length,
        at: Date.now(),
      };
      received.push(request);
      open.add(res);
      res.on('close', () => open.delete(res));
      Promise.resolve(receiver.handler(request))
        .then((reply) => {
          if (res.destroyed) return;
          res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
          res.end(reply.body ?? '');
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.origin = `http://127.0.0.1:${port}`;
  receiver.url = `${receiver.origin}/hook`;
  receiver.received = received;
  receiver.events = () =>
    received
      .filter((r) => r.method === 'POST' && r.path === '/hook')
      .map((r) => JSON.parse(r.body) as ReturnType<WebhookReceiver['events']>[number]);
  receiver.close = async () => {
    for (const res of open) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}
