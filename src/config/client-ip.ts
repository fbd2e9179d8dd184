import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { TrustProxy } from './app-config';

export type TrustFunction = (address: string, hop: number) => boolean;

/**
 * The one rule for "which address is the client": Fastify's `request.ip` (rate limits) and the
 * request context's IP (audit entries) both come from this function, so they cannot disagree.
 * A hop count trusts that many proxies in front of us (hop 0 is our direct peer); a list trusts
 * peers whose address falls in one of its CIDRs.
 */
export function trustFunction(trust: TrustProxy): TrustFunction {
  if (trust === false || trust === 0) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile(trust);
}

/** The client address of a raw request under `trust` (the socket peer when nothing is trusted). */
export function clientIp(raw: IncomingMessage, trust: TrustFunction): string | undefined {
  if (!raw.socket?.remoteAddress) return undefined;
  return proxyAddr(raw, trust);
}
