import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';
import type { ResolvedTarget } from './webhook-target-policy';
import { RESPONSE_BODY_LIMIT_BYTES, USER_AGENT } from './webhooks.constants';

export interface SendResult {
  status: number;
  /** The response body, cut at RESPONSE_BODY_LIMIT_BYTES. */
  body: string;
}

/** Connects to the address that was checked, whatever DNS would answer now. */
function pinnedLookup(target: ResolvedTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    } else {
      callback(null, target.address, target.family);
    }
  };
}

/**
 * One POST of a webhook body. No redirects are followed (node:http never does); the response
 * body is read up to 64 KiB and the connection then dropped; `signal` bounds the whole attempt.
 * A new connection per attempt (no agent), so nothing lingers between attempts or at shutdown.
 */
@Injectable()
export class WebhookSender {
  post(
    target: ResolvedTarget,
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
  ): Promise<SendResult> {
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<SendResult>((resolve, reject) => {
      const req = send(
        target.url,
        {
          method: 'POST',
          agent: false,
          lookup: pinnedLookup(target),
          signal,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': USER_AGENT,
          },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          let settled = false;
          const finish = () => {
            if (settled) return;
            settled = true;
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          };
          res.on('data', (chunk: Buffer) => {
            const room = RESPONSE_BODY_LIMIT_BYTES - size;
            if (room > 0) {
              chunks.push(chunk.subarray(0, room));
              size += Math.min(chunk.length, room);
            }
            if (size >= RESPONSE_BODY_LIMIT_BYTES) {
              // Enough: the status decides the outcome; the rest is not worth reading.
              finish();
              res.destroy();
            }
          });
          res.on('end', finish);
          res.on('error', (error) => (settled ? undefined : reject(error)));
          res.on('close', () =>
            settled
              ? undefined
              : reject(signal.aborted ? (signal.reason as Error) : new Error('connection closed')),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
