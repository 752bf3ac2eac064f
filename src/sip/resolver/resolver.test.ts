import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../lib/index.ts';
import type { SipUri } from '../message/index.ts';
import type { Destination } from '../transport/index.ts';
import type { AddressAnswer, DnsLookup, NaptrAnswer, SrvAnswer } from './dns.ts';
import { CachingDns } from './dns-cache.ts';
import { ResolverError } from './errors.ts';
import { SipResolver, type ResolverOptions } from './resolver.ts';
import { orderSrv } from './srv-order.ts';

interface Zone {
  naptr?: Record<string, NaptrAnswer[]>;
  srv?: Record<string, SrvAnswer[]>;
  a?: Record<string, AddressAnswer[]>;
  aaaa?: Record<string, AddressAnswer[]>;
  fail?: string[];
}

function fakeDns(zone: Zone): DnsLookup & { queries: string[] } {
  const queries: string[] = [];
  const answer = <T>(type: string, table: Record<string, T[]> | undefined, name: string): Promise<T[]> => {
    queries.push(`${type} ${name}`);
    if (zone.fail?.includes(name)) return Promise.reject(new Error('SERVFAIL'));
    return Promise.resolve(table?.[name] ?? []);
  };
  return {
    queries,
    naptr: (name) => answer('NAPTR', zone.naptr, name),
    srv: (name) => answer('SRV', zone.srv, name),
    a: (name) => answer('A', zone.a, name),
    aaaa: (name) => answer('AAAA', zone.aaaa, name),
  };
}

function uri(text: string): SipUri {
  const m = /^(sips?|tel):(?:([^@]+)@)?(\[[^\]]+\]|[^:;]+)?(?::(\d+))?((?:;[^;]+)*)$/.exec(text);
  if (!m) throw new Error(`bad test URI ${text}`);
  const params: Record<string, string | null> = {};
  for (const p of (m[5] ?? '').split(';').filter(Boolean)) {
    const [k, v] = p.split('=');
    params[k!.toLowerCase()] = v ?? null;
  }
  return {
    scheme: m[1] as SipUri['scheme'],
    ...(m[2] ? { user: m[2] } : {}),
    host: m[3] ?? '',
    ...(m[4] ? { port: Number(m[4]) } : {}),
    params,
    headers: {},
  };
}

const naptr = (order: number, preference: number, service: string, replacement: string): NaptrAnswer => ({ order, preference, flags: 's', service, regexp: '', replacement });
const srv = (priority: number, weight: number, port: number, name: string): SrvAnswer => ({ priority, weight, port, name });
const a = (...addresses: string[]): AddressAnswer[] => addresses.map((address) => ({ address, ttl: 60 }));

const zone: Zone = {
  naptr: {
    'example.com': [
      naptr(50, 50, 'SIPS+D2T', '_sips._tcp.example.com'),
      naptr(90, 50, 'SIP+D2T', '_sip._tcp.example.com'),
      naptr(100, 50, 'SIP+D2U', '_sip._udp.example.com'),
      naptr(40, 10, 'SIP+D2S', '_sip._sctp.example.com'),
    ],
    'ws.example.net': [naptr(10, 10, 'SIP+D2W', '_sip._ws.ws.example.net'), naptr(10, 20, 'SIPS+D2W', '_sips._ws.ws.example.net')],
  },
  srv: {
    '_sips._tcp.example.com': [srv(0, 0, 5061, 'tls1.example.com')],
    '_sip._tcp.example.com': [srv(0, 0, 5060, 'tcp1.example.com')],
    '_sip._udp.example.com': [srv(0, 0, 5060, 'udp1.example.com')],
    '_sip._udp.srvonly.org': [srv(20, 0, 5070, 'b.srvonly.org'), srv(10, 0, 5080, 'a.srvonly.org')],
    '_sip._tcp.srvonly.org': [srv(10, 0, 5090, 'a.srvonly.org')],
    '_sips._tcp.srvonly.org': [srv(10, 0, 5091, 'a.srvonly.org')],
    '_sip._ws.ws.example.net': [srv(0, 0, 8080, 'edge.ws.example.net')],
    '_sips._ws.ws.example.net': [srv(0, 0, 8443, 'edge.ws.example.net')],
    '_sip._udp.gone.org': [srv(0, 0, 0, '.')],
  },
  a: {
    'tls1.example.com': a('192.0.2.10'),
    'tcp1.example.com': a('192.0.2.11'),
    'udp1.example.com': a('192.0.2.12'),
    'a.srvonly.org': a('198.51.100.1'),
    'b.srvonly.org': a('198.51.100.2'),
    'plain.org': a('203.0.113.5'),
    'edge.ws.example.net': a('192.0.2.80'),
  },
  aaaa: { 'plain.org': a('2001:db8::5'), 'a.srvonly.org': a('2001:db8::1') },
};

function resolver(options: Partial<ResolverOptions> = {}, z: Zone = zone): { r: SipResolver; dns: ReturnType<typeof fakeDns>; clock: VirtualClock } {
  const dns = fakeDns(z);
  const clock = new VirtualClock();
  return { r: new SipResolver({ dns, clock, random: () => 0, ...options }), dns, clock };
}

const tls = (address: string, port: number, serverName: string): Destination => ({ transport: 'tls', address, port, serverName });

test('resolver: RFC 3263 section 4 table', async () => {
  const all: ResolverOptions['transports'] = ['udp', 'tcp', 'tls', 'ws', 'wss'];
  const cases: Array<[string, Destination[], Partial<ResolverOptions>?]> = [
    ['sip:alice@192.0.2.1', [{ transport: 'udp', address: '192.0.2.1', port: 5060 }]],
    ['sip:alice@192.0.2.1:5080;transport=tcp', [{ transport: 'tcp', address: '192.0.2.1', port: 5080 }]],
    ['sips:alice@192.0.2.1', [{ transport: 'tls', address: '192.0.2.1', port: 5061 }]],
    ['sips:alice@192.0.2.1;transport=tcp', [{ transport: 'tls', address: '192.0.2.1', port: 5061 }]],
    ['sip:[2001:db8::7];transport=ws', [{ transport: 'ws', address: '2001:db8::7', port: 80 }]],
    ['sip:bob@192.0.2.1', [{ transport: 'tcp', address: '192.0.2.1', port: 5060 }], { transports: ['tcp', 'tls'] }],
    ['sip:bob@plain.org:5070', [{ transport: 'udp', address: '203.0.113.5', port: 5070 }, { transport: 'udp', address: '2001:db8::5', port: 5070 }]],
    ['sip:bob@plain.org:5070', [{ transport: 'udp', address: '2001:db8::5', port: 5070 }], { families: [6] }],
    ['sips:bob@plain.org:5071', [tls('203.0.113.5', 5071, 'plain.org'), tls('2001:db8::5', 5071, 'plain.org')]],
    ['sip:bob@example.com', [tls('192.0.2.10', 5061, 'example.com'), { transport: 'tcp', address: '192.0.2.11', port: 5060 }, { transport: 'udp', address: '192.0.2.12', port: 5060 }]],
    ['sips:bob@example.com', [tls('192.0.2.10', 5061, 'example.com')]],
    ['sip:bob@example.com', [{ transport: 'tcp', address: '192.0.2.11', port: 5060 }, { transport: 'udp', address: '192.0.2.12', port: 5060 }], { transports: ['udp', 'tcp'] }],
    ['sip:bob@example.com;transport=udp', [{ transport: 'udp', address: '192.0.2.12', port: 5060 }]],
    [
      'sip:bob@srvonly.org',
      [
        { transport: 'udp', address: '198.51.100.1', port: 5080 },
        { transport: 'udp', address: '2001:db8::1', port: 5080 },
        { transport: 'udp', address: '198.51.100.2', port: 5070 },
        { transport: 'tcp', address: '198.51.100.1', port: 5090 },
        { transport: 'tcp', address: '2001:db8::1', port: 5090 },
        tls('198.51.100.1', 5091, 'srvonly.org'),
        tls('2001:db8::1', 5091, 'srvonly.org'),
      ],
    ],
    ['sips:bob@srvonly.org', [tls('198.51.100.1', 5091, 'srvonly.org'), tls('2001:db8::1', 5091, 'srvonly.org')]],
    ['sip:bob@plain.org', [{ transport: 'udp', address: '203.0.113.5', port: 5060 }, { transport: 'udp', address: '2001:db8::5', port: 5060 }]],
    ['sip:bob@plain.org;transport=tcp', [{ transport: 'tcp', address: '203.0.113.5', port: 5060 }, { transport: 'tcp', address: '2001:db8::5', port: 5060 }]],
    ['sip:bob@plain.org', [{ transport: 'tcp', address: '203.0.113.5', port: 5060 }, { transport: 'tcp', address: '2001:db8::5', port: 5060 }], { transports: ['tcp'] }],
    ['sips:bob@plain.org', [tls('203.0.113.5', 5061, 'plain.org'), tls('2001:db8::5', 5061, 'plain.org')]],
    ['sip:bob@ws.example.net', [{ transport: 'ws', address: '192.0.2.80', port: 8080 }, { transport: 'wss', address: '192.0.2.80', port: 8443, serverName: 'ws.example.net' }], { transports: all }],
    ['sips:bob@ws.example.net;transport=ws', [{ transport: 'wss', address: '192.0.2.80', port: 8443, serverName: 'ws.example.net' }], { transports: all }],
    ['sip:bob@other.org;maddr=192.0.2.99', [{ transport: 'udp', address: '192.0.2.99', port: 5060 }]],
    ['sip:bob@ignored.org;maddr=plain.org', [{ transport: 'udp', address: '203.0.113.5', port: 5060 }, { transport: 'udp', address: '2001:db8::5', port: 5060 }]],
    ['sip:bob@gone.org', []],
    ['sip:bob@nowhere.invalid', []],
    ['sip:bob@plain.org.', [{ transport: 'udp', address: '203.0.113.5', port: 5060 }, { transport: 'udp', address: '2001:db8::5', port: 5060 }]],
    ['sip:bob@plain.org', [{ transport: 'udp', address: '203.0.113.5', port: 5060 }], { maxDestinations: 1 }],
  ];
  for (const [text, expected, options] of cases) {
    const { r } = resolver(options);
    assert.deepEqual(await r.resolve(uri(text)), expected, text);
  }
});

test('resolver: URIs it cannot route throw SIP_RESOLVE_UNSUPPORTED', async () => {
  const { r } = resolver();
  for (const text of ['tel:+15551234', 'sips:bob@example.com;transport=udp', 'sip:bob@example.com;transport=sctp', 'sip:bob@example.com;transport=foo']) {
    await assert.rejects(r.resolve(uri(text)), (err: unknown) => err instanceof ResolverError && err.code === 'SIP_RESOLVE_UNSUPPORTED', text);
  }
});

test('resolver: DNS failures count as no answer and fall through', async () => {
  const { r } = resolver({}, { ...zone, fail: ['example.com', '_sip._udp.plain.org'] });
  assert.deepEqual(await r.resolve(uri('sip:bob@example.com')), [
    { transport: 'udp', address: '192.0.2.12', port: 5060 },
    { transport: 'tcp', address: '192.0.2.11', port: 5060 },
    tls('192.0.2.10', 5061, 'example.com'),
  ]);
  assert.equal((await r.resolve(uri('sip:bob@plain.org'))).length, 2);
});

test('resolver: answers are cached by TTL; empty answers briefly', async () => {
  const { r, dns, clock } = resolver({ cache: { negativeTtlMs: 5_000, defaultTtlMs: 120_000 } });
  await r.resolve(uri('sip:bob@plain.org:5070'));
  await r.resolve(uri('sip:bob@plain.org:5070'));
  assert.deepEqual(dns.queries, ['A plain.org', 'AAAA plain.org']);
  clock.advance(60_000);
  await r.resolve(uri('sip:bob@plain.org:5070'));
  assert.equal(dns.queries.length, 4);
  dns.queries.length = 0;
  await r.resolve(uri('sip:bob@nowhere.invalid'));
  const first = dns.queries.length;
  await r.resolve(uri('sip:bob@nowhere.invalid'));
  assert.equal(dns.queries.length, first);
  clock.advance(5_000);
  await r.resolve(uri('sip:bob@nowhere.invalid'));
  assert.equal(dns.queries.length, first * 2);
});

test('dns cache: default TTL for answers without TTL, max TTL clamp, errors, sharing in-flight queries, bound', async () => {
  const clock = new VirtualClock();
  const dns = fakeDns({ srv: { x: [srv(0, 0, 1, 'h')] }, a: { big: [{ address: '1.1.1.1', ttl: 999_999 }] }, fail: ['bad'] });
  const cache = new CachingDns(dns, { clock, defaultTtlMs: 1_000, maxTtlMs: 10_000, errorTtlMs: 100, maxEntries: 3 });
  await Promise.all([cache.srv('x'), cache.srv('X.')]);
  assert.equal(dns.queries.length, 1);
  clock.advance(1_000);
  await cache.srv('x');
  assert.equal(dns.queries.length, 2);
  await cache.a('big');
  clock.advance(9_999);
  await cache.a('big');
  assert.equal(dns.queries.length, 3);
  clock.advance(1);
  await cache.a('big');
  assert.equal(dns.queries.length, 4);
  assert.deepEqual(await cache.a('bad'), []);
  assert.deepEqual(await cache.a('bad'), []);
  assert.equal(dns.queries.length, 5);
  await cache.aaaa('q1');
  await cache.aaaa('q2');
  assert.ok(cache.size <= 3);
});

test('orderSrv: priority first, then RFC 2782 weighted order; "." dropped', () => {
  const records = [srv(20, 0, 1, 'low'), srv(10, 10, 1, 'w10'), srv(10, 90, 1, 'w90'), srv(10, 0, 1, 'w0'), srv(5, 0, 1, '.')];
  const names = (random: () => number) => orderSrv(records, random).map((r) => r.name);
  assert.deepEqual(names(() => 0), ['w0', 'w10', 'w90', 'low']);
  assert.deepEqual(names(() => 0.999), ['w90', 'w10', 'w0', 'low']);
  const tally = new Map<string, number>();
  let seed = 1;
  const lcg = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 5000; i++) {
    const first = orderSrv(records, lcg)[0]!.name;
    tally.set(first, (tally.get(first) ?? 0) + 1);
  }
  assert.ok((tally.get('w90') ?? 0) > 4000 && (tally.get('w10') ?? 0) > 300, JSON.stringify([...tally]));
});
