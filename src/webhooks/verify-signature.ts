import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks a webhook from the helpdesk (Standard Webhooks). `body` must be the raw request body,
 * exactly as received (not re-serialised JSON); `secret` is the `whsec_…` value shown when the
 * webhook was created. Returns false for a bad or missing signature and for a timestamp more
 * than `toleranceSeconds` away from now (a replay). Dedupe deliveries on `webhook-id`.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): boolean {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return false;

  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) return false;

  // The key is the base64 part of the secret, decoded.
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();

  // Several space-separated signatures may be sent (e.g. while a secret is rotated).
  return signatures.split(' ').some((candidate) => {
    const [version, signature] = candidate.split(',');
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
