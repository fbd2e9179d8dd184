import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { uuidv7 } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';

export interface OutgoingMail {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  replyTo?: string;
  headers?: Record<string, string>;
}

/**
 * Hands one email to SMTP (`SMTP_URL`) or, with no SMTP configured, writes it as an `.eml` file
 * into `MAIL_DIR` so development needs no mail server. Only the delivery worker calls it: other
 * modules plan emails with `NotificationsService.plan()`.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter;
  private readonly toFiles: boolean;

  constructor(private readonly config: AppConfig) {
    this.toFiles = !config.smtpUrl;
    this.transport = config.smtpUrl
      ? createTransport({
          url: config.smtpUrl,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 20_000,
        })
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const info = (await this.transport.sendMail({
      from: this.config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      inReplyTo: mail.inReplyTo,
      references: mail.references,
      replyTo: mail.replyTo,
      headers: mail.headers,
    })) as { messageId: string; message?: Buffer };
    if (this.toFiles && info.message) {
      const dir = resolve(this.config.mailDir);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${Date.now()}-${uuidv7()}.eml`), info.message);
    }
    this.logger.debug(`mail sent: ${mail.subject}`);
    return { messageId: info.messageId };
  }

  // After every module's onModuleDestroy, so deliveries that the queue lets finish still have it.
  onApplicationShutdown(): void {
    this.transport.close();
  }
}
