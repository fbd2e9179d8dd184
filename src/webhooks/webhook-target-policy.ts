import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '@helpdesk/common';
import { AppConfig } from 'src/config/app-config';
import { nonPublicRangeOf } from './ip-ranges';

export interface ResolvedTarget {
  url: URL;
  /** The checked address to connect to (the request is pinned to it: no second DNS answer). */
  address: string;
  family: 4 | 6;
}

/** Why a target URL cannot be used; `field` names the request field for a 422. */
export class WebhookTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetError';
  }

  toValidationError(): ValidationFailedError {
    return ValidationFailedError.forField('url', this.message);
  }
}

/**
 * SSRF protection (API.md section 11a): http(s) only, no credentials in the URL, every
 * address the host resolves to must be public unless WEBHOOKS_ALLOW_PRIVATE=true, and the port
 * must be one of WEBHOOKS_ALLOWED_PORTS (80 and 443 by default). Checked when a
 * webhook is saved and again before every attempt, and the attempt connects to the address that
 * was checked (no DNS rebinding between check and connect). Redirects are never followed.
 */
@Injectable()
export class WebhookTargetPolicy {
  constructor(private readonly config: AppConfig) {}

  /** The URL's form alone (no DNS): throws WebhookTargetError. */
  parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookTargetError('url must be an absolute http or https URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new WebhookTargetError('url must use http or https');
    if (url.username || url.password)
      throw new WebhookTargetError('url must not carry credentials (requests are signed instead)');
    if (!url.hostname) throw new WebhookTargetError('url must name a host');
    return url;
  }

  /** Parses, resolves and checks `raw`; throws WebhookTargetError when it may not be used. */
  async resolve(raw: string): Promise<ResolvedTarget> {
    const url = this.parse(raw);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    let addresses: { address: string; family: number }[];
    if (isIP(host)) {
      addresses = [{ address: host, family: isIP(host) }];
    } else {
      try {
        addresses = await lookup(host, { all: true, verbatim: true });
      } catch (error) {
        throw new WebhookTargetError(
          `url host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
      if (addresses.length === 0) throw new WebhookTargetError(`url host ${host} does not resolve`);
    }
    if (!this.config.webhooksAllowPrivate) {
      // Every answer must be public: one private answer is enough to be steered inside.
      for (const { address } of addresses) {
        const range = nonPublicRangeOf(address);
        if (range) {
          throw new WebhookTargetError(
            `url resolves to a non-public address (${address}: ${range}); webhooks may only target the public internet`,
          );
        }
      }
    }
    // After the address check, so a private target is named as such whatever its port.
    const allowed = this.config.webhooksAllowedPorts;
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    // Other ports reach admin consoles, databases and caches that happen to face the internet.
    if (allowed !== 'any' && !allowed.includes(port)) {
      throw new WebhookTargetError(
        `url may not use port ${port}; allowed: ${allowed.join(', ')} (WEBHOOKS_ALLOWED_PORTS)`,
      );
    }
    const [first] = addresses;
    return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
  }
}
