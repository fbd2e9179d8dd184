import { Injectable } from '@nestjs/common';
import { RateLimitedError, type Actor } from '@helpdesk/common';
import { AppConfig, type UploadQuotaLimit } from 'src/config/app-config';
import { RateCounter, type Bucket } from 'src/redis/rate-counter';

const HOUR = 3600;

/** What one portal upload adds: its ticket, its requester, and the caller. */
export interface UploadScope {
  actor: Actor;
  ticketId: string;
  requesterId: string;
}

/**
 * Hourly quotas on customer-side uploads (portal: a customer's bearer token or a ticket token),
 * in files and bytes, per ticket, per customer (a ticket token's uploads count for its
 * requester) and per ticket token. Staff uploads are not counted. Checked before reading a byte
 * (a full quota answers 429 at once) and again with the request's real size; counted once the
 * files are stored. Two concurrent requests may together overshoot by at most one request,
 * which MAX_ATTACHMENT_BYTES caps.
 */
@Injectable()
export class UploadQuotas {
  constructor(
    private readonly config: AppConfig,
    private readonly counter: RateCounter,
  ) {}

  async assertRoom(scope: UploadScope, files: number, bytes: number): Promise<void> {
    for (const bucket of this.buckets(scope, files, bytes)) {
      const retryAfter = await this.counter.wouldExceed(bucket, bucket.amount);
      if (retryAfter !== null) {
        throw new RateLimitedError(
          retryAfter,
          `The upload quota (${bucket.describe}) is used up; try again later.`,
        );
      }
    }
  }

  async record(scope: UploadScope, files: number, bytes: number): Promise<void> {
    for (const bucket of this.buckets(scope, files, bytes)) {
      await this.counter.consume(bucket, bucket.amount);
    }
  }

  private buckets(
    scope: UploadScope,
    files: number,
    bytes: number,
  ): (Bucket & { amount: number; describe: string })[] {
    const { perTicket, perCustomer, perTicketToken } = this.config.uploadQuota;
    const subjects: [string, string, UploadQuotaLimit][] = [
      ['ticket', scope.ticketId, perTicket],
      ['customer', scope.requesterId, perCustomer],
    ];
    if (scope.actor.type === 'ticket_token')
      subjects.push(['token', scope.ticketId, perTicketToken]);
    return subjects.flatMap(([name, subject, limit]) => [
      {
        name: `upload-files-${name}`,
        subject,
        limit: limit.filesPerHour,
        windowSeconds: HOUR,
        amount: files,
        describe: `${limit.filesPerHour} files per ${name} per hour`,
      },
      {
        name: `upload-bytes-${name}`,
        subject,
        limit: limit.bytesPerHour,
        windowSeconds: HOUR,
        amount: bytes,
        describe: `${limit.bytesPerHour} bytes per ${name} per hour`,
      },
    ]);
  }
}
