import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token of a signed rating link: `<payload>.<mac>`, both base64url, where the payload is the
 * ticket id (16 bytes) and the expiry (uint32 Unix seconds) and the mac is HMAC-SHA256 of the
 * payload. Nothing is stored: the link proves itself, so it works without signing in.
 */
const PAYLOAD_BYTES = 20;
const MAC_BYTES = 32;

export type RatingTokenCheck =
  | { valid: true; ticketId: string; expiresAt: Date }
  | { valid: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** A key of its own, derived from a secret, so a rating token can never pass for anything else. */
export function deriveRatingKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('helpdesk:rating-link:v1').digest();
}

export function signRatingToken(key: Buffer, ticketId: string, expiresAt: Date): string {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  Buffer.from(ticketId.replace(/-/g, ''), 'hex').copy(payload, 0);
  payload.writeUInt32BE(Math.floor(expiresAt.getTime() / 1000), 16);
  const mac = createHmac('sha256', key).update(payload).digest();
  return `${payload.toString('base64url')}.${mac.toString('base64url')}`;
}

export function verifyRatingToken(key: Buffer, token: string, now: Date): RatingTokenCheck {
  const parts = token.length <= 128 ? token.split('.') : [];
  if (parts.length !== 2 || !parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part))) {
    return { valid: false, reason: 'malformed' };
  }
  const payload = Buffer.from(parts[0], 'base64url');
  const mac = Buffer.from(parts[1], 'base64url');
  if (payload.length !== PAYLOAD_BYTES || mac.length !== MAC_BYTES) {
    return { valid: false, reason: 'malformed' };
  }
  const expected = createHmac('sha256', key).update(payload).digest();
  if (!timingSafeEqual(mac, expected)) return { valid: false, reason: 'bad_signature' };
  const expiresAt = new Date(payload.readUInt32BE(16) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { valid: false, reason: 'expired' };
  const hex = payload.subarray(0, 16).toString('hex');
  const ticketId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { valid: true, ticketId, expiresAt };
}
