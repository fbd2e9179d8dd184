import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';

const FORMAT = 'v1';
const KEY_INFO = 'helpdesk idempotency replays v1';

/**
 * A replayed response can carry credentials (the intake's ticket `access_token`), so stored
 * responses are sealed: AES-256-GCM under a key derived (HKDF-SHA256) from JWT_SECRET *and* the
 * caller's Idempotency-Key, which the table keeps only as a SHA-256. Reading the table alone
 * opens nothing; the caller who sends the key again gets the same body back.
 */
@Injectable()
export class IdempotencySealer {
  constructor(private readonly config: AppConfig) {}

  /** What the table stores instead of the key itself. */
  keyDigest(key: string): string {
    return createHash('sha256').update(`idempotency-key:${key}`).digest('hex');
  }

  seal(body: unknown, caller: string, key: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(caller, key), iv);
    const plaintext = Buffer.from(JSON.stringify(body ?? null), 'utf8');
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return [
      FORMAT,
      ...[iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url')),
    ].join('.');
  }

  /** The stored body, or undefined when it cannot be opened (JWT_SECRET changed, tampering). */
  open(sealed: unknown, caller: string, key: string): { body: unknown } | undefined {
    if (typeof sealed !== 'string') return undefined;
    const [format, iv, tag, ciphertext] = sealed.split('.');
    if (format !== FORMAT || !iv || !tag || ciphertext === undefined) return undefined;
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.keyFor(caller, key),
        Buffer.from(iv, 'base64url'),
      );
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plaintext = Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]);
      return { body: JSON.parse(plaintext.toString('utf8')) as unknown };
    } catch {
      return undefined;
    }
  }

  private keyFor(caller: string, key: string): Buffer {
    return Buffer.from(
      hkdfSync('sha256', this.config.jwtSecret, `${caller}\n${key}`, KEY_INFO, 32),
    );
  }
}
