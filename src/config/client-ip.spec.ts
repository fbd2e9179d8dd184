import type { IncomingMessage } from 'node:http';
import { loadConfig } from './app-config';
import { clientIp, trustFunction } from './client-ip';

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  }) as unknown as IncomingMessage;

describe('TRUST_PROXY', () => {
  it('refuses a blanket true with one line saying what to write instead', () => {
    for (const value of ['true', 'TRUE', 'yes', '*']) {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(
        /TRUST_PROXY=true would believe any client’s X-Forwarded-For; list the proxies/,
      );
    }
  });

  it('takes a hop count or a list of addresses and CIDRs', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1 ,::1/128' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1/128',
    ]);
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/9', '::1/129', '99']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });

  it.each([
    [false, '198.51.100.1', '203.0.113.9', '198.51.100.1'], // nothing trusted: the peer
    [['127.0.0.1/32'], '198.51.100.1', '203.0.113.9', '198.51.100.1'], // untrusted peer
    [['127.0.0.1/32'], '127.0.0.1', '203.0.113.9', '203.0.113.9'],
    [['127.0.0.1/32'], '127.0.0.1', '6.6.6.6, 203.0.113.9', '203.0.113.9'], // spoofed left part
    [['127.0.0.1/32', '10.0.0.0/8'], '127.0.0.1', '6.6.6.6, 203.0.113.9, 10.1.2.3', '203.0.113.9'],
    [1, '198.51.100.1', '6.6.6.6, 203.0.113.9', '203.0.113.9'], // one hop: the peer is the proxy
    [2, '198.51.100.1', '6.6.6.6, 203.0.113.9', '6.6.6.6'],
  ] as const)('trust %j, peer %s, X-Forwarded-For %s → %s', (trust, peer, xff, expected) => {
    const fn = trustFunction(typeof trust === 'object' && trust ? [...trust] : trust);
    expect(clientIp(request(peer, xff), fn)).toBe(expected);
  });
});
