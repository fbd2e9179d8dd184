import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyWebhookSignature } from './verify-signature';
import { newWebhookSecret, signedHeaders } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({ id: 'evt', type: 'ticket.created', data: { x: 'ü' } });
  const now = new Date('2026-11-21T09:30:00Z');

  it('uses the Standard Webhooks secret form', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });

  it('verifies what it signs', () => {
    const headers = signedHeaders(secret, 'evt', body, now);
    expect(headers['webhook-timestamp']).toBe(String(now.getTime() / 1000));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifyWebhookSignature(secret, headers, body, { now })).toBe(true);
  });

  it('matches the Standard Webhooks reference vector', () => {
    // From the Standard Webhooks specification's test suite.
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    const payload = '{"test": 2432232314}';
    const referenceSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(
      verifyWebhookSignature(referenceSecret, headers, payload, { now: new Date(1614265330_000) }),
    ).toBe(true);
    expect(
      signedHeaders(referenceSecret, headers['webhook-id'], payload, new Date(1614265330_000)),
    ).toEqual(headers);
  });

  it('refuses a changed body, id, timestamp, another secret, or a stale timestamp', () => {
    const headers = signedHeaders(secret, 'evt', body, now);
    expect(verifyWebhookSignature(secret, headers, body + ' ', { now })).toBe(false);
    expect(
      verifyWebhookSignature(secret, { ...headers, 'webhook-id': 'other' }, body, { now }),
    ).toBe(false);
    expect(
      verifyWebhookSignature(
        secret,
        { ...headers, 'webhook-timestamp': String(now.getTime() / 1000 + 1) },
        body,
        { now },
      ),
    ).toBe(false);
    expect(verifyWebhookSignature(newWebhookSecret(), headers, body, { now })).toBe(false);
    expect(
      verifyWebhookSignature(secret, headers, body, { now: new Date(now.getTime() + 301_000) }),
    ).toBe(false);
    expect(verifyWebhookSignature(secret, {}, body, { now })).toBe(false);
  });

  it('accepts any one of several signatures', () => {
    const headers = signedHeaders(secret, 'evt', body, now);
    const rotated = { ...headers, 'webhook-signature': `v1,AAAA ${headers['webhook-signature']}` };
    expect(verifyWebhookSignature(secret, rotated, body, { now })).toBe(true);
  });

  it('is the very function docs/webhooks.md shows', () => {
    const source = readFileSync(join(__dirname, 'verify-signature.ts'), 'utf8').trim();
    const doc = readFileSync(join(__dirname, '../../docs/webhooks.md'), 'utf8');
    expect(doc).toContain(source);
  });
});
