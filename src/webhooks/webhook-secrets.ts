import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';

const FORMAT = 'v1';
const KEY_INFO = 'helpdesk webhook signing secrets v1';

/**
 * Webhook signing secrets must be readable to sign with, so they are encrypted, not hashed:
 * AES-256-GCM under a key derived (HKDF-SHA256) from WEBHOOK_SECRET_KEY, with the webhook id as
 * associated data (a ciphertext copied onto another webhook does not open). Stored as
 * `v1.<iv>.<tag>.<ciphertext>`, base64url parts.
 */
@Injectable()
export class WebhookSecrets implements OnModuleInit {
  private readonly logger = new Logger(WebhookSecrets.name);
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.webhookSecretKey, '', KEY_INFO, 32));
  }

  onModuleInit(): void {
    if (this.config.webhookSecretKeyGenerated) {
      this.logger.warn(
        'WEBHOOK_SECRET_KEY is not set: using a random one (webhook secrets stop working on restart)',
      );
    }
  }

  seal(secret: string, webhookId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(webhookId));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [FORMAT, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** The secret, or throws when it cannot be opened (another WEBHOOK_SECRET_KEY, tampering). */
  open(sealed: string, webhookId: string): string {
    const [format, iv, tag, ciphertext] = sealed.split('.');
    if (format !== FORMAT || !iv || !tag || ciphertext === undefined) {
      throw new Error('unknown webhook secret format');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(webhookId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new Error(
        'the signing secret cannot be decrypted (was WEBHOOK_SECRET_KEY changed?); delete and recreate the webhook',
      );
    }
  }
}
