import type { Response } from 'supertest';
import type { TestApp } from '@helpdesk/testing';
import type { Headers } from './world';

export interface RawCall {
  method: string;
  path: string;
  query?: string;
  headers?: Headers;
  /** Sent as is with `content-type: application/json` when a string, JSON-encoded otherwise. */
  body?: unknown;
  /** Sent as multipart/form-data instead of a JSON body. */
  multipart?: Multipart;
  /** A Server-Sent Events route: read the status and headers, then hang up. */
  stream?: boolean;
}

export interface Multipart {
  files: Array<{ field: string; content: Buffer; fileName: string }>;
  fields?: Record<string, string>;
}

/** Sends one request through supertest, with a time limit so a hang is a failure, not a stall. */
export async function send(t: TestApp, call: RawCall, timeoutMs = 15_000): Promise<Response> {
  const url = call.query ? `${call.path}?${call.query}` : call.path;
  const method = call.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let req = t.http[method](url).timeout(timeoutMs);
  for (const [name, value] of Object.entries(call.headers ?? {})) req = req.set(name, value);
  if (call.stream) {
    // An event stream never ends by itself: take what arrives in a moment, then close it.
    req = req.buffer(false).parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      const finish = () => {
        res.removeAllListeners('data');
        (res as unknown as { destroy(): void }).destroy();
        done(null, text);
      };
      res.on('end', finish);
      setTimeout(finish, 300).unref();
    });
  }
  if (call.multipart) {
    for (const [name, value] of Object.entries(call.multipart.fields ?? {}))
      req = req.field(name, value);
    for (const file of call.multipart.files)
      req = req.attach(file.field, file.content, file.fileName);
    return req;
  }
  if (call.body !== undefined) {
    req = req
      .set('content-type', 'application/json')
      .send(typeof call.body === 'string' ? call.body : JSON.stringify(call.body));
  }
  return req;
}

/** What must hold for every response: no 5xx; 4xx are problem documents with a code. */
export function contractViolation(res: Response): string | null {
  if (res.status >= 500) return `answered ${res.status}: ${res.text.slice(0, 300)}`;
  if (res.status >= 400) {
    const type = String(res.headers['content-type'] ?? '');
    if (!type.startsWith('application/problem+json'))
      return `${res.status} with content-type ${type}`;
    let body: { code?: unknown; status?: unknown };
    try {
      const text = typeof res.body === 'string' ? res.body : res.text;
      body = JSON.parse(text) as typeof body;
    } catch {
      return `${res.status} body is not JSON: ${res.text.slice(0, 200)}`;
    }
    if (typeof body.code !== 'string' || !/^[A-Z][A-Z_]+$/.test(body.code))
      return `${res.status} problem without a code: ${res.text.slice(0, 200)}`;
    if (body.status !== res.status) return `problem status ${String(body.status)} ≠ ${res.status}`;
  }
  return null;
}
