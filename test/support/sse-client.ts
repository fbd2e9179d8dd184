import { get, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';

export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

export interface SseClient {
  status: number;
  headers: IncomingHttpHeaders;
  /** Event frames received so far, in order. */
  frames: SseFrame[];
  /** Comment lines (`: …`) received so far. */
  comments: string[];
  /** The body, for a response that is not a stream (an error). */
  body(): Promise<string>;
  /** Resolves once the server has ended the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Where an app under test listens (it must have been started with `app.listen`). */
export function baseUrlOf(app: NestFastifyApplication): string {
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * Opens a Server-Sent Events stream with a real HTTP client and parses frames as they arrive.
 * Resolves when the response headers are in (the server has fixed where the stream starts).
 */
export function openSse(url: string, headers: Record<string, string>): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      const frames: SseFrame[] = [];
      const comments: string[] = [];
      let buffer = '';
      let raw = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: SseFrame = { data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) frame.id = line.slice(4);
            else if (line.startsWith('event: ')) frame.event = line.slice(7);
            else if (line.startsWith('data: ')) {
              frame.data += line.slice(6);
              hasData = true;
            }
          }
          if (hasData) frames.push(frame);
        }
      });
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames,
        comments,
        ended,
        body: async () => {
          await ended;
          return raw;
        },
        close: () => {
          req.destroy();
          res.destroy();
        },
      });
    });
  });
}
