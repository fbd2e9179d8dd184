import { nonPublicRangeOf } from './ip-ranges';

describe('nonPublicRangeOf', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared address space'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:127.0.0.1', 'loopback (as 127.0.0.1)'],
    ['::ffff:7f00:1', 'loopback (as 127.0.0.1)'],
    ['::ffff:10.0.0.1', 'private (as 10.0.0.1)'],
    ['::ffff:169.254.169.254', 'link-local (as 169.254.169.254)'],
    ['::127.0.0.1', 'loopback (as 127.0.0.1)'],
    ['64:ff9b::a9fe:a9fe', 'link-local (as 169.254.169.254)'],
    ['2002:c0a8:0101::1', 'private (as 192.168.1.1)'],
    ['localhost', 'not an IP address'],
    // Local-use NAT64 and the later IANA special-purpose entries (issue 21).
    ['64:ff9b:1::a00:1', 'local-use NAT64'],
    ['64:ff9b:1:ffff::1', 'local-use NAT64'],
    ['192.31.196.1', 'AS112-v4'],
    ['192.52.193.1', 'AMT'],
    ['192.175.48.1', 'direct delegation AS112 service'],
    ['100:0:0:1::1', 'dummy IPv6 prefix'],
    ['2620:4f:8000::1', 'direct delegation AS112 service'],
    ['3fff::1', 'documentation'],
    ['3fff:fff:ffff::1', 'documentation'],
    ['5f00::1', 'segment routing (SRv6) SIDs'],
    ['2001:2::1', 'IETF protocol assignments'],
  ])('refuses %s (%s)', (address, range) => {
    expect(nonPublicRangeOf(address)).toBe(range);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '172.15.255.255',
    '192.169.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:800::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:0808:0808::1',
    '64:ff9b:2::1',
    '2620:4f:8001::1',
    '3fff:1000::1',
  ])('accepts the public address %s', (address) => {
    expect(nonPublicRangeOf(address)).toBeNull();
  });
});
