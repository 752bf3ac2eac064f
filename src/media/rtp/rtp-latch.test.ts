import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpLatch, usableRemote, type LatchVerdict } from './rtp-latch.ts';

type Pkt = [address: string, port: number, ssrc: number];

interface Case {
  name: string;
  enabled?: boolean;
  after?: number;
  sdp: [string | undefined, number | undefined];
  expectedSsrc?: number;
  packets: Pkt[];
  verdicts: LatchVerdict[];
  dest: [string | undefined, number];
}

test('symmetric RTP latching (RFC 4961)', () => {
  const cases: Case[] = [
    {
      name: 'packets from the SDP address confirm it',
      sdp: ['192.0.2.1', 4000],
      packets: [['192.0.2.1', 4000, 5], ['192.0.2.1', 4000, 5]],
      verdicts: ['latched', 'deliver'],
      dest: ['192.0.2.1', 4000],
    },
    {
      name: 'NAT: two consecutive packets from a new source with one SSRC move the destination',
      sdp: ['10.0.0.5', 4000],
      packets: [['198.51.100.7', 31000, 5], ['198.51.100.7', 31000, 5], ['198.51.100.7', 31000, 5]],
      verdicts: ['drop', 'latched', 'deliver'],
      dest: ['198.51.100.7', 31000],
    },
    {
      name: 'a new source changing SSRC does not count as consecutive',
      sdp: ['10.0.0.5', 4000],
      packets: [['198.51.100.7', 31000, 5], ['198.51.100.7', 31000, 6], ['198.51.100.7', 31000, 6]],
      verdicts: ['drop', 'drop', 'latched'],
      dest: ['198.51.100.7', 31000],
    },
    {
      name: 'the expected SSRC is required from a new source',
      sdp: ['10.0.0.5', 4000],
      expectedSsrc: 9,
      packets: [['198.51.100.7', 31000, 5], ['198.51.100.7', 31000, 5], ['198.51.100.7', 31000, 9], ['198.51.100.7', 31000, 9]],
      verdicts: ['drop', 'drop', 'drop', 'latched'],
      dest: ['198.51.100.7', 31000],
    },
    {
      name: 'interleaved packets from the real source reset the count',
      sdp: ['192.0.2.1', 4000],
      packets: [['192.0.2.1', 4000, 5], ['203.0.113.9', 999, 5], ['192.0.2.1', 4000, 5], ['203.0.113.9', 999, 5]],
      verdicts: ['latched', 'drop', 'deliver', 'drop'],
      dest: ['192.0.2.1', 4000],
    },
    {
      name: 'unusable SDP address: the first packet latches',
      sdp: ['0.0.0.0', 4000],
      packets: [['198.51.100.7', 31000, 5], ['203.0.113.9', 999, 5]],
      verdicts: ['latched', 'drop'],
      dest: ['198.51.100.7', 31000],
    },
    {
      name: 'no SDP address at all',
      sdp: [undefined, undefined],
      packets: [['198.51.100.7', 31000, 5]],
      verdicts: ['latched'],
      dest: ['198.51.100.7', 31000],
    },
    {
      name: 'latchAfter 3',
      after: 3,
      sdp: ['10.0.0.5', 4000],
      packets: [['198.51.100.7', 31000, 5], ['198.51.100.7', 31000, 5], ['198.51.100.7', 31000, 5]],
      verdicts: ['drop', 'drop', 'latched'],
      dest: ['198.51.100.7', 31000],
    },
    {
      name: 'latching off: media from anywhere is heard, the SDP address stays where we send',
      enabled: false,
      sdp: ['192.0.2.1', 4000],
      packets: [['198.51.100.7', 31000, 5], ['198.51.100.7', 31000, 5], ['192.0.2.1', 4000, 5]],
      verdicts: ['deliver', 'deliver', 'deliver'],
      dest: ['192.0.2.1', 4000],
    },
    {
      name: 'a source port 0 is heard but never latched to',
      sdp: ['192.0.2.1', 4000],
      packets: [['198.51.100.7', 0, 5], ['198.51.100.7', 0, 5], ['198.51.100.7', 0, 5]],
      verdicts: ['deliver', 'deliver', 'deliver'],
      dest: ['192.0.2.1', 4000],
    },
    {
      name: 'no SDP address and a source port 0: nothing to latch to',
      sdp: [undefined, undefined],
      packets: [['198.51.100.7', 0, 5]],
      verdicts: ['deliver'],
      dest: [undefined, 0],
    },
    {
      name: 'dual-stack socket reports a v4-mapped address',
      sdp: ['192.0.2.1', 4000],
      packets: [['::ffff:192.0.2.1', 4000, 5]],
      verdicts: ['latched'],
      dest: ['192.0.2.1', 4000],
    },
  ];
  for (const c of cases) {
    const l = new RtpLatch(c.enabled ?? true, c.after ?? 2);
    l.setRemote(c.sdp[0], c.sdp[1]);
    const got = c.packets.map(([a, p, s]) => l.onPacket(a, p, s, c.expectedSsrc));
    assert.deepEqual(got, c.verdicts, c.name);
    assert.deepEqual([l.address, l.port], c.dest, c.name);
  }
});

test('setRemote restarts latching (re-INVITE)', () => {
  const l = new RtpLatch(true, 2);
  l.setRemote('192.0.2.1', 4000);
  l.onPacket('192.0.2.1', 4000, 1, undefined);
  assert.equal(l.latched, true);
  l.setRemote('192.0.2.2', 5000);
  assert.equal(l.latched, false);
  assert.equal(l.address, '192.0.2.2');
});

test('usable SDP remotes', () => {
  const cases: [string | undefined, number | undefined, boolean][] = [
    ['192.0.2.1', 4000, true],
    ['2001:db8::1', 4000, true],
    ['0.0.0.0', 4000, false],
    ['::', 4000, false],
    ['192.0.2.1', 0, false],
    ['host.example', 4000, false],
    [undefined, 4000, false],
  ];
  for (const [a, p, ok] of cases) assert.equal(usableRemote(a, p), ok, `${a}:${p}`);
});
