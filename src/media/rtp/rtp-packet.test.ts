import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpError } from './errors.ts';
import { parseRtpPacket, RtpPacketView, rtpOverhead, serializeRtpPacket, type RtpHeader, type RtpParseResult } from './rtp-packet.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('parse: header fields, CSRCs, extension and padding (RFC 3550 5.1, 5.3.1)', () => {
  const cases: { name: string; bytes: Buffer; expect: Partial<RtpPacketView>; payload: string; csrcs?: number[] }[] = [
    {
      name: 'minimal PCMU',
      bytes: hex('80 00 1234 00000fa0 deadbeef  ff7f'),
      expect: { payloadType: 0, marker: false, sequenceNumber: 0x1234, timestamp: 4000, ssrc: 0xdeadbeef, csrcCount: 0, payloadOffset: 12 },
      payload: 'ff7f',
    },
    {
      name: 'marker, PT 101, max fields',
      bytes: hex('80 e5 ffff ffffffff ffffffff 01'),
      expect: { payloadType: 101, marker: true, sequenceNumber: 0xffff, timestamp: 0xffffffff, ssrc: 0xffffffff },
      payload: '01',
    },
    {
      name: 'two CSRCs',
      bytes: hex('82 08 0001 00000000 00000001 00000002 00000003 aa'),
      expect: { csrcCount: 2, payloadType: 8, payloadOffset: 20 },
      payload: 'aa',
      csrcs: [2, 3],
    },
    {
      name: 'extension of 2 words is skipped',
      bytes: hex('90 00 0001 00000000 00000001 bede0002 11223344 55667788 cafe'),
      expect: { extension: true, extensionProfile: 0xbede, extensionOffset: 16, extensionLength: 8, payloadOffset: 24 },
      payload: 'cafe',
    },
    {
      name: 'CSRC then extension',
      bytes: hex('91 00 0001 00000000 00000001 00000009 1000 0000 beef'),
      expect: { csrcCount: 1, extension: true, extensionProfile: 0x1000, extensionLength: 0, payloadOffset: 20 },
      payload: 'beef',
      csrcs: [9],
    },
    {
      name: 'padding of 3 octets removed',
      bytes: hex('a0 00 0001 00000000 00000001 0102 0000 03'),
      expect: { padding: true, paddingLength: 3, payloadLength: 2 },
      payload: '0102',
    },
    {
      name: 'empty payload (keep-alive style)',
      bytes: hex('80 0d 0001 00000000 00000001'),
      expect: { payloadType: 13, payloadLength: 0 },
      payload: '',
    },
  ];
  const view = new RtpPacketView();
  for (const c of cases) {
    assert.equal(view.parse(c.bytes), 'ok', c.name);
    for (const [k, v] of Object.entries(c.expect)) assert.equal(view[k as keyof RtpPacketView], v, `${c.name}: ${k}`);
    assert.equal(view.payload().toString('hex'), c.payload, c.name);
    assert.equal(view.buffer, c.bytes, 'zero-copy: the view points into the datagram');
    (c.csrcs ?? []).forEach((id, i) => assert.equal(view.csrc(i), id, c.name));
  }
});

test('parse: malformed datagrams are rejected without throwing', () => {
  const cases: [string, Buffer, RtpParseResult][] = [
    ['11 octets', hex('80 00 0001 00000000 000000'), 'short'],
    ['version 1', hex('40 00 0001 00000000 00000001'), 'version'],
    ['version 0 (STUN-like)', hex('00 01 0000 2112a442 00000000'), 'version'],
    ['CSRC count beyond the end', hex('83 00 0001 00000000 00000001 00000002'), 'csrc'],
    ['extension header cut', hex('90 00 0001 00000000 00000001 bede'), 'extension'],
    ['extension length beyond the end', hex('90 00 0001 00000000 00000001 bede0004 00000000'), 'extension'],
    ['padding count 0', hex('a0 00 0001 00000000 00000001 0102 00'), 'padding'],
    ['padding count beyond the payload', hex('a0 00 0001 00000000 00000001 01 09'), 'padding'],
  ];
  const view = new RtpPacketView();
  for (const [name, bytes, why] of cases) {
    assert.equal(view.parse(bytes), why, name);
    assert.throws(() => parseRtpPacket(bytes), (e: unknown) => e instanceof RtpError && e.code === 'MEDIA_RTP_PARSE', name);
  }
});

test('parse: a shorter length than the buffer is honoured (pooled receive buffers)', () => {
  const buf = Buffer.alloc(64, 0xee);
  hex('80 00 0007 00000010 00000001 0102').copy(buf);
  const view = new RtpPacketView();
  assert.equal(view.parse(buf, 14), 'ok');
  assert.equal(view.payloadLength, 2);
  assert.equal(view.length, 14);
});

test('parse: reusing a view resets the extension fields', () => {
  const view = new RtpPacketView();
  view.parse(hex('90 00 0001 00000000 00000001 bede0001 11223344 cafe'));
  assert.equal(view.extensionLength, 4);
  view.parse(hex('80 00 0001 00000000 00000001 cafe'));
  assert.equal(view.extension, false);
  assert.equal(view.extensionLength, 0);
  assert.equal(view.payloadOffset, 12);
});

test('serialize: round-trips through parse', () => {
  const headers: RtpHeader[] = [
    { marker: false, payloadType: 0, sequenceNumber: 1, timestamp: 160, ssrc: 0x11223344 },
    { marker: true, payloadType: 127, sequenceNumber: 0x1ffff, timestamp: 2 ** 32 + 5, ssrc: 0xffffffff },
    { marker: false, payloadType: 8, sequenceNumber: 9, timestamp: 9, ssrc: 9, csrcs: [1, 0xfffffffe] },
    { marker: false, payloadType: 96, sequenceNumber: 9, timestamp: 9, ssrc: 9, extension: { profile: 0xbede, data: Uint8Array.of(1, 2, 3, 4) } },
    { marker: false, payloadType: 96, sequenceNumber: 9, timestamp: 9, ssrc: 9, padding: 4 },
  ];
  const payload = Buffer.from('payload!');
  const out = Buffer.alloc(200);
  const view = new RtpPacketView();
  for (const h of headers) {
    const n = serializeRtpPacket(out, h, payload);
    assert.equal(n, rtpOverhead(h) + payload.length);
    assert.equal(view.parse(out, n), 'ok');
    assert.equal(view.marker, h.marker);
    assert.equal(view.payloadType, h.payloadType);
    assert.equal(view.sequenceNumber, h.sequenceNumber & 0xffff);
    assert.equal(view.timestamp, h.timestamp >>> 0);
    assert.equal(view.ssrc, h.ssrc >>> 0);
    assert.equal(view.csrcCount, h.csrcs?.length ?? 0);
    (h.csrcs ?? []).forEach((c, i) => assert.equal(view.csrc(i), c));
    assert.equal(view.extension, h.extension !== undefined);
    assert.equal(view.paddingLength, h.padding ?? 0);
    assert.equal(view.payload().toString(), 'payload!');
  }
});

test('serialize: a part of a payload, at an offset; errors are typed', () => {
  const out = Buffer.alloc(40, 0xaa);
  const h: RtpHeader = { marker: false, payloadType: 0, sequenceNumber: 1, timestamp: 1, ssrc: 1 };
  const n = serializeRtpPacket(out, h, Uint8Array.of(9, 8, 7, 6), 1, 2, 4);
  assert.equal(n, 14);
  assert.equal(out[3], 0xaa);
  assert.deepEqual([...out.subarray(16, 18)], [8, 7]);
  const code = (e: unknown) => e instanceof RtpError && e.code === 'MEDIA_RTP_BUFFER';
  assert.throws(() => serializeRtpPacket(Buffer.alloc(13), h, Uint8Array.of(1, 2)), code);
  assert.throws(() => serializeRtpPacket(out, { ...h, csrcs: new Array<number>(16).fill(1) }, Uint8Array.of()), code);
  assert.throws(() => serializeRtpPacket(out, { ...h, extension: { profile: 1, data: Uint8Array.of(1) } }, Uint8Array.of()), code);
  assert.throws(() => serializeRtpPacket(out, { ...h, padding: 256 }, Uint8Array.of()), code);
});
