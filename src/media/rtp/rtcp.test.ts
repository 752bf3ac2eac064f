import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpError } from './errors.ts';
import {
  buildRtcp,
  isRtcp,
  ntpFromUnixMs,
  ntpMiddle,
  ntpMiddleFromUnixMs,
  NTP_UNIX_OFFSET,
  parseRtcp,
  rtcpPacketSize,
  roundTripMs,
  serializeRtcp,
  SDES_CNAME,
  type RtcpPacket,
} from './rtcp.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const block = {
  ssrc: 0x01020304,
  fractionLost: 64,
  cumulativeLost: 1234,
  extendedHighestSeq: 0x0001ffff,
  jitter: 77,
  lastSr: 0xaabbccdd,
  delaySinceLastSr: 65536,
};

test('build/parse round-trip of compound packets (RFC 3550 6.1, 6.4, 6.5, 6.6)', () => {
  const cases: { name: string; packets: RtcpPacket[] }[] = [
    {
      name: 'SR + SDES CNAME',
      packets: [
        { type: 'sr', ssrc: 0xcafebabe, sender: { ntpSeconds: 3900000000, ntpFraction: 0x80000000, rtpTimestamp: 160, packetCount: 50, octetCount: 8000 }, reports: [block] },
        { type: 'sdes', chunks: [{ ssrc: 0xcafebabe, items: [{ type: SDES_CNAME, value: 'user@host' }] }] },
      ],
    },
    {
      name: 'RR without blocks + SDES with a CNAME of length 2 (padding to 32 bits)',
      packets: [
        { type: 'rr', ssrc: 1, reports: [] },
        { type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: SDES_CNAME, value: 'ab' }] }] },
      ],
    },
    {
      name: 'RR with a negative cumulative loss, SDES with two chunks and a unicode NAME, BYE with reason',
      packets: [
        { type: 'rr', ssrc: 7, reports: [{ ...block, cumulativeLost: -5 }, { ...block, ssrc: 9, cumulativeLost: -0x800000 }] },
        { type: 'sdes', chunks: [{ ssrc: 7, items: [{ type: 1, value: 'a@b' }, { type: 2, value: 'Zoë' }] }, { ssrc: 8, items: [] }] },
        { type: 'bye', ssrcs: [7, 8], reason: 'hangup' },
      ],
    },
    {
      name: 'BYE without reason, an APP packet kept opaque',
      packets: [
        { type: 'rr', ssrc: 3, reports: [] },
        { type: 'other', packetType: 204, count: 1, body: hex('00000003 6e616d65 01020304') },
        { type: 'bye', ssrcs: [3] },
      ],
    },
  ];
  for (const c of cases) {
    const data = buildRtcp(c.packets);
    assert.equal(data.length % 4, 0, c.name);
    assert.ok(isRtcp(data), c.name);
    const back = parseRtcp(data);
    assert.deepEqual(back, c.packets, c.name);
    const out = Buffer.alloc(data.length + 8, 0xff);
    assert.equal(serializeRtcp(c.packets, out, 8), data.length);
    assert.deepEqual(out.subarray(8), data);
  }
});

test('serialize: cumulative lost saturates at 24-bit signed; jitter is rounded', () => {
  const data = buildRtcp([{ type: 'rr', ssrc: 1, reports: [{ ...block, cumulativeLost: 1e9, jitter: 10.6 }, { ...block, cumulativeLost: -1e9 }] }]);
  const rr = parseRtcp(data)[0]!;
  assert.equal(rr.type, 'rr');
  if (rr.type !== 'rr') return;
  assert.equal(rr.reports[0]!.cumulativeLost, 0x7fffff);
  assert.equal(rr.reports[0]!.jitter, 11);
  assert.equal(rr.reports[1]!.cumulativeLost, -0x800000);
});

test('parse: a known SR from the wire', () => {
  // V=2 RC=1 PT=200 length=12: SSRC, NTP, RTP ts, counts, one block.
  const data = hex(
    '81c8000c 11111111 e8a5a3c0 40000000 000003e8 0000000a 00000640' +
      ' 22222222 05000003 00010010 00000020 a3c04000 00008000',
  );
  const [sr] = parseRtcp(data);
  assert.deepEqual(sr, {
    type: 'sr',
    ssrc: 0x11111111,
    sender: { ntpSeconds: 0xe8a5a3c0, ntpFraction: 0x40000000, rtpTimestamp: 1000, packetCount: 10, octetCount: 1600 },
    reports: [{ ssrc: 0x22222222, fractionLost: 5, cumulativeLost: 3, extendedHighestSeq: 0x10010, jitter: 32, lastSr: 0xa3c04000, delaySinceLastSr: 0x8000 }],
  });
});

test('parse: malformed compounds throw MEDIA_RTCP_PARSE (A.2)', () => {
  const cases: [string, Buffer][] = [
    ['too short', hex('80c9')],
    ['version 1', hex('41c90001 00000001')],
    ['length overruns', hex('80c90002 00000001')],
    ['trailing octets', hex('80c90001 00000001 80')],
    ['padding in the first of two', hex('a0c90001 00000001 80c90001 00000002')],
    ['padding count larger than the packet', hex('a0c90001 00000001 00000009')],
    ['report block missing', hex('81c90001 00000001')],
    ['SDES without null item', hex('81ca0002 00000001 01026162')],
    ['BYE reason overruns', hex('81cb0002 00000001 09616263')],
    ['SR too short', hex('80c80002 00000001 00000000')],
  ];
  for (const [name, data] of cases) {
    assert.throws(() => parseRtcp(data), (e: unknown) => e instanceof RtpError && e.code === 'MEDIA_RTCP_PARSE', name);
  }
});

test('parse: padding on the last packet is removed', () => {
  const data = hex('81cb0002 00000001 00000004'.replace('81cb0002', 'a1cb0002'));
  assert.deepEqual(parseRtcp(data), [{ type: 'bye', ssrcs: [1] }]);
});

test('sizes: rtcpPacketSize matches the serialized octets; too many blocks is a typed error', () => {
  const p: RtcpPacket = { type: 'sr', ssrc: 1, sender: { ntpSeconds: 0, ntpFraction: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0 }, reports: [block, block] };
  assert.equal(rtcpPacketSize(p), 28 + 48);
  assert.throws(
    () => buildRtcp([{ type: 'rr', ssrc: 1, reports: new Array(32).fill(block) }]),
    (e: unknown) => e instanceof RtpError && e.code === 'MEDIA_RTP_BUFFER',
  );
});

test('NTP: Unix ms to NTP and to the middle 32 bits', () => {
  const t = ntpFromUnixMs(1500);
  assert.equal(t.seconds, NTP_UNIX_OFFSET + 1);
  assert.equal(t.fraction, 0x80000000);
  assert.equal(ntpMiddle(0x0001_0002, 0x0003_0004), 0x0002_0003);
  assert.equal(ntpMiddleFromUnixMs(1500), (((NTP_UNIX_OFFSET + 1) & 0xffff) * 65536 + 0x8000) >>> 0);
});

test('round-trip time from LSR/DLSR (RFC 3550 6.4.1 example)', () => {
  // The RFC's example: A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s), DLSR = 0x0005:4000 (5.250 s).
  assert.equal(roundTripMs(0xb7108000, 0xb7052000, 0x00054000), 6125);
  const cases: [string, number, number, number, number | undefined][] = [
    ['no SR received yet', 0x10000, 0, 0, undefined],
    ['clock step makes it negative', 0x10000, 0x20000, 0, 0],
    ['across the 16-bit seconds wrap', 0x00000000 + 0x8000, 0xffff8000, 0x8000, 500],
  ];
  for (const [name, a, lsr, dlsr, ms] of cases) assert.equal(roundTripMs(a, lsr, dlsr), ms, name);
});
