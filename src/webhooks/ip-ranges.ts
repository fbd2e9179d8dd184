import { isIPv4, isIPv6 } from 'node:net';

/**
 * Address ranges a webhook may not target unless private targets are allowed: anything that is
 * not the public internet — every entry of the IANA IPv4 and IPv6 Special-Purpose Address
 * Registries (RFC 6890 and later) that is not globally reachable, plus multicast and reserved. IPv6 forms that embed an IPv4
 * address (IPv4-mapped, IPv4-compatible, NAT64, 6to4) are judged by that IPv4 address.
 */
const IPV4_RANGES: readonly [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared address space'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.31.196.0', 24, 'AS112-v4'],
  ['192.52.193.0', 24, 'AMT'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['192.175.48.0', 24, 'direct delegation AS112 service'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // includes 255.255.255.255 (broadcast)
];

const IPV6_RANGES: readonly [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  // Local-use NAT64 (RFC 8215): translates to whatever IPv4 network the operator chose.
  ['64:ff9b:1::', 48, 'local-use NAT64'],
  ['100::', 64, 'discard-only'],
  ['100:0:0:1::', 64, 'dummy IPv6 prefix'],
  ['2001::', 23, 'IETF protocol assignments'], // includes Teredo (2001::/32), ORCHIDv2, benchmarking
  ['2001:db8::', 32, 'documentation'],
  ['2620:4f:8000::', 48, 'direct delegation AS112 service'],
  ['3fff::', 20, 'documentation'],
  ['5f00::', 16, 'segment routing (SRv6) SIDs'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The 128-bit value of an IPv6 address (zone ids are ignored). */
function ipv6ToBigInt(address: string): bigint {
  let text = address.split('%')[0].toLowerCase();
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two hextets.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4ToNumber(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts = [
    ...headParts,
    ...Array<string>(tail === undefined ? 0 : missing).fill('0'),
    ...tailParts,
  ];
  return parts.reduce((value, part) => (value << 16n) | BigInt(parseInt(part || '0', 16)), 0n);
}

function inIpv4Range(value: number, base: string, bits: number): boolean {
  const size = 2 ** (32 - bits);
  return Math.floor(value / size) === Math.floor(ipv4ToNumber(base) / size);
}

function inIpv6Range(value: bigint, base: string, bits: number): boolean {
  const shift = BigInt(128 - bits);
  return value >> shift === ipv6ToBigInt(base) >> shift;
}

function ipv4RangeOf(address: string): string | null {
  const value = ipv4ToNumber(address);
  const hit = IPV4_RANGES.find(([base, bits]) => inIpv4Range(value, base, bits));
  return hit ? hit[2] : null;
}

/** The IPv4 address an IPv6 address carries, for the forms that route to it. */
function embeddedIpv4(value: bigint): string | null {
  const low32 = Number(value & 0xffffffffn);
  if (value >> 32n === 0xffffn) return numberToIpv4(low32); // ::ffff:0:0/96 IPv4-mapped
  if (value >> 32n === 0n) return numberToIpv4(low32); // ::/96 IPv4-compatible (deprecated)
  if (value >> 32n === 0x64ff9b0000000000000000n) return numberToIpv4(low32); // 64:ff9b::/96 NAT64
  if (value >> 112n === 0x2002n) return numberToIpv4(Number((value >> 80n) & 0xffffffffn)); // 6to4
  return null;
}

/**
 * Why `address` is not a public internet address ("loopback", "private", …), or null when it is.
 * Anything that is not an IP address is refused too.
 */
export function nonPublicRangeOf(address: string): string | null {
  if (isIPv4(address)) return ipv4RangeOf(address);
  if (!isIPv6(address.split('%')[0])) return 'not an IP address';
  const value = ipv6ToBigInt(address);
  // :: and ::1 sit inside ::/96 too; name them as themselves.
  const special = IPV6_RANGES.find(([base, bits]) => inIpv6Range(value, base, bits));
  if (special) return special[2];
  const v4 = embeddedIpv4(value);
  if (v4 !== null) {
    const range = ipv4RangeOf(v4);
    return range ? `${range} (as ${v4})` : null;
  }
  return null;
}
