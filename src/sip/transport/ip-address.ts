/**
 * IP address helpers for Via and URI hosts (RFC 3261 section 19.1.1 and 25.1: IPv6 references are
 * bracketed) and for comparing a sent-by host with a packet source (RFC 3261 section 18.2.1).
 */
import { isIP } from 'node:net';

/** "[::1]" -> "::1"; anything else unchanged. */
export function stripBrackets(host: string): string {
  return host.length > 1 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The form used in Via sent-by and URI hosts: IPv6 addresses bracketed. */
export function hostForUri(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

/** 4 or 6 for an IP literal (brackets allowed), 0 for a host name. */
export function ipFamily(host: string): 0 | 4 | 6 {
  return isIP(stripBrackets(host)) as 0 | 4 | 6;
}

const MAPPED = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/** "::ffff:192.0.2.1" (an IPv4 peer on a dual-stack socket) -> "192.0.2.1". */
export function unmapIpv4(address: string): string {
  const m = MAPPED.exec(address);
  return m ? m[1]! : address;
}

/** A canonical text for equality: IPv6 expanded to eight lower-case groups, IPv4-mapped unmapped. */
export function canonicalIp(host: string): string {
  const address = unmapIpv4(stripBrackets(host));
  if (isIP(address) !== 6) return address.toLowerCase();
  const zone = address.indexOf('%');
  let text = (zone >= 0 ? address.slice(0, zone) : address).toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = [v4[1], v4[2], v4[3], v4[4]].map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left = '', right] = text.split('::');
  const head = left ? left.split(':') : [];
  const tail = right !== undefined && right ? right.split(':') : [];
  const fill = right !== undefined ? new Array<string>(8 - head.length - tail.length).fill('0') : [];
  const groups = [...head, ...fill, ...tail].map((g) => g.replace(/^0+(?=.)/, ''));
  return unmapIpv4(groups.join(':').replace(/^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/, (_m, hi: string, lo: string) => {
    const h = parseInt(hi, 16);
    const l = parseInt(lo, 16);
    return `::ffff:${h >> 8}.${h & 255}.${l >> 8}.${l & 255}`;
  }));
}

/** Whether two hosts are the same IP address in any of their spellings. */
export function sameAddress(a: string, b: string): boolean {
  return a === b || canonicalIp(a) === canonicalIp(b);
}

/** Wildcard bind addresses, for which a concrete address must be advertised. */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || canonicalIp(address) === '0:0:0:0:0:0:0:0';
}
