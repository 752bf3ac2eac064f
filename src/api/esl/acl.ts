/**
 * Inbound ACLs (specs/esl.md §2.1 step 1, §10): with no ACL configured only loopback may connect
 * (`loopback.auto`); otherwise the peer must match every configured entry. An entry is a list name
 * (`loopback.auto`, `localnet.auto`/`rfc1918.auto`, `any_v4.auto`, `any_v6.auto`, `none`) or an
 * address / CIDR (IPv4 or IPv6). IPv4-mapped IPv6 peers (`::ffff:10.0.0.1`) count as IPv4. Pure.
 */
import { isIP } from 'node:net';
import { EslError } from './esl-error.ts';

type Net = { v: 4 | 6; base: bigint; bits: number };
export type AclEntry = { kind: 'list'; name: string; nets: Net[] } | { kind: 'net'; text: string; net: Net };

function v4ToBig(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBig(ip: string): bigint {
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = v4ToBig(v4[1]!);
    text = text.slice(0, -v4[1]!.length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** The address as [version, value]; IPv4-mapped IPv6 becomes IPv4. */
export function parseAddress(ip: string): { v: 4 | 6; value: bigint } | undefined {
  const clean = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(clean);
  if (mapped) return { v: 4, value: v4ToBig(mapped[1]!) };
  const v = isIP(clean);
  if (v === 4) return { v: 4, value: v4ToBig(clean) };
  if (v === 6) return { v: 6, value: v6ToBig(clean) };
  return undefined;
}

function net(text: string): Net | undefined {
  const [addr, bitsText] = text.split('/') as [string, string | undefined];
  const a = parseAddress(addr);
  if (!a) return undefined;
  const max = a.v === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return undefined;
  return { v: a.v, base: a.value, bits };
}

function inNet(n: Net, addr: { v: 4 | 6; value: bigint }): boolean {
  if (n.v !== addr.v) return false;
  const width = BigInt(n.v === 4 ? 32 : 128);
  const shift = width - BigInt(n.bits);
  return (n.base >> shift) === (addr.value >> shift);
}

const LISTS: Readonly<Record<string, readonly string[]>> = {
  'loopback.auto': ['127.0.0.0/8', '::1/128'],
  'localnet.auto': ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  'rfc1918.auto': ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
  'any_v4.auto': ['0.0.0.0/0'],
  'any_v6.auto': ['::/0'],
  none: [],
};

/** Parses configured entries; throws ESL_ACL_INVALID on an unknown name or bad CIDR. */
export function compileAcl(entries: readonly string[]): AclEntry[] {
  const list = entries.length === 0 ? ['loopback.auto'] : entries;
  return list.map((e) => {
    const name = e.trim();
    const members = LISTS[name.toLowerCase()];
    if (members) return { kind: 'list', name, nets: members.map((m) => net(m)!) };
    const n = net(name);
    if (!n) throw new EslError('ESL_ACL_INVALID', `unknown ACL entry "${e}" (use a CIDR or ${Object.keys(LISTS).join(', ')})`);
    return { kind: 'net', text: name, net: n };
  });
}

/** undefined when allowed; else the name of the first entry that rejected the peer. */
export function aclRejects(acl: readonly AclEntry[], ip: string): string | undefined {
  const addr = parseAddress(ip);
  for (const entry of acl) {
    const name = entry.kind === 'list' ? entry.name : entry.text;
    if (!addr) return name;
    const nets = entry.kind === 'list' ? entry.nets : [entry.net];
    if (!nets.some((n) => inNet(n, addr))) return name;
  }
  return undefined;
}

/** True for 127.0.0.0/8, ::1 and their mapped forms (and `localhost`). */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  return aclRejects(compileAcl(['loopback.auto']), host) === undefined;
}
