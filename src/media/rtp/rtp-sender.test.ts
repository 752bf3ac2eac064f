import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpError } from './errors.ts';
import { RtpPacketView } from './rtp-packet.ts';
import { RtpSender } from './rtp-sender.ts';

const frame = Buffer.alloc(160, 0xff);

function sendAll(s: RtpSender, plan: ('send' | 'skip')[]): RtpPacketView[] {
  const out: RtpPacketView[] = [];
  for (const step of plan) {
    if (step === 'skip') {
      s.skip(160);
      continue;
    }
    const buf = Buffer.alloc(200);
    const n = s.write(buf, frame, 160);
    const v = new RtpPacketView();
    assert.equal(v.parse(buf, n), 'ok');
    out.push(v);
  }
  return out;
}

test('random SSRC, sequence and timestamp per sender', () => {
  const a = new RtpSender({ payloadType: 0, clockRate: 8000 });
  const b = new RtpSender({ payloadType: 0, clockRate: 8000 });
  assert.ok(a.ssrc !== b.ssrc || a.sequenceNumber !== b.sequenceNumber || a.timestamp !== b.timestamp);
  assert.ok(a.sequenceNumber >= 0 && a.sequenceNumber <= 0xffff);
  assert.ok(a.timestamp >= 0 && a.timestamp <= 0xffffffff);
});

test('sequence +1 per packet, timestamp +samples per frame, wrap at 2^16 and 2^32', () => {
  const s = new RtpSender({ payloadType: 8, clockRate: 8000, ssrc: 42, sequenceNumber: 65534, timestamp: 0xffffff00 });
  const got = sendAll(s, ['send', 'send', 'send']);
  assert.deepEqual(got.map((p) => p.sequenceNumber), [65534, 65535, 0]);
  assert.deepEqual(got.map((p) => p.timestamp), [0xffffff00, 0xffffffa0, 0x40]);
  assert.deepEqual(got.map((p) => p.payloadType), [8, 8, 8]);
  assert.deepEqual(got.map((p) => p.ssrc), [42, 42, 42]);
  assert.equal(s.packets, 3);
  assert.equal(s.octets, 480);
});

test('marker on the first packet and after each silence gap; timestamp keeps counting through gaps', () => {
  const s = new RtpSender({ payloadType: 0, clockRate: 8000, ssrc: 1, sequenceNumber: 100, timestamp: 1000 });
  const got = sendAll(s, ['send', 'send', 'skip', 'skip', 'skip', 'send', 'send']);
  assert.deepEqual(got.map((p) => p.marker), [true, false, true, false]);
  assert.deepEqual(got.map((p) => p.timestamp), [1000, 1160, 1000 + 5 * 160, 1000 + 6 * 160]);
  assert.deepEqual(got.map((p) => p.sequenceNumber), [100, 101, 102, 103], 'no sequence gap for silence (RFC 3551 4.1)');
});

test('skipMs carries fractions of a sample (hold of irregular length)', () => {
  const s = new RtpSender({ payloadType: 0, clockRate: 8000, ssrc: 1, sequenceNumber: 0, timestamp: 0 });
  for (let i = 0; i < 8; i++) s.skipMs(0.0625); // 0.5 sample each
  assert.equal(s.timestamp, 4);
  s.skipMs(2000);
  assert.equal(s.timestamp, 16004);
});

test('event packets keep their timestamp and share the sequence space', () => {
  const s = new RtpSender({ payloadType: 0, clockRate: 8000, ssrc: 1, sequenceNumber: 10, timestamp: 800 });
  const buf = Buffer.alloc(64);
  const v = new RtpPacketView();
  const start = s.timestamp;
  for (let i = 0; i < 3; i++) {
    const n = s.writeWithTimestamp(buf, Uint8Array.of(1, 0x80, 0, 160), start, i === 0, 101);
    v.parse(buf, n);
    assert.equal(v.timestamp, 800);
    assert.equal(v.payloadType, 101);
    assert.equal(v.marker, i === 0);
    assert.equal(v.sequenceNumber, 10 + i);
    s.skip(160);
  }
  const n = s.write(buf, Uint8Array.of(0xff), 160);
  v.parse(buf, n);
  assert.equal(v.timestamp, 800 + 480);
  assert.equal(v.sequenceNumber, 13);
  assert.equal(v.payloadType, 0);
});

test('timestampAt extrapolates from the last stamp (SR RTP timestamp)', () => {
  const s = new RtpSender({ payloadType: 0, clockRate: 8000, ssrc: 1, sequenceNumber: 0, timestamp: 1000 });
  assert.equal(s.timestampAt(5), 1000);
  s.stamp(100);
  assert.equal(s.timestampAt(150), 1400);
  s.stamp(0, 0xffffffff);
  assert.equal(s.timestampAt(1), 7);
});

test('bad options are typed errors', () => {
  const code = (e: unknown) => e instanceof RtpError && e.code === 'MEDIA_RTP_CONFIG';
  assert.throws(() => new RtpSender({ payloadType: 128, clockRate: 8000 }), code);
  assert.throws(() => new RtpSender({ payloadType: 0, clockRate: 0 }), code);
});

test('setFormat to a 48 kHz codec: same SSRC, continuous sequence, timestamp goes on at the new rate, marker', () => {
  const s = new RtpSender({ payloadType: 0, clockRate: 8000, ssrc: 7, sequenceNumber: 65534, timestamp: 0xfffffe00 });
  const before = sendAll(s, ['send', 'send']);
  s.stamp(1000, before[1]!.timestamp);
  s.setFormat(111, 48000, 1020);
  assert.equal(s.clockRate, 48000);
  assert.equal(s.stamped, false, 'the next send restamps');
  const out: RtpPacketView[] = [];
  for (let i = 0; i < 3; i++) {
    const buf = Buffer.alloc(200);
    const v = new RtpPacketView();
    assert.equal(v.parse(buf, s.write(buf, frame, 960)), 'ok');
    out.push(v);
  }
  const all = [...before, ...out];
  assert.deepEqual(all.map((p) => p.sequenceNumber), [65534, 65535, 0, 1, 2]);
  assert.deepEqual(all.map((p) => p.ssrc), [7, 7, 7, 7, 7]);
  assert.deepEqual(all.map((p) => p.payloadType), [0, 0, 111, 111, 111]);
  assert.deepEqual(out.map((p) => p.marker), [true, false, false], 'the first packet of the new format starts a talkspurt');
  // Monotonic through the switch (and the 2^32 wrap): +160 at 8 kHz, then +960 at 48 kHz.
  assert.deepEqual(all.map((p) => p.timestamp), [0xfffffe00, 0xfffffea0, 0xffffff40, (0xffffff40 + 960) >>> 0, (0xffffff40 + 1920) >>> 0]);
  // The SR reference moved onto the new rate at 1020 ms: 20 ms later is 960 units further.
  assert.equal(s.timestampAt(1040), (0xfffffea0 + 160 + 960) >>> 0);
  s.stamp(1040, out[0]!.timestamp);
  assert.equal(s.stamped, true);
  assert.equal(s.timestampAt(1060), (out[0]!.timestamp + 960) >>> 0);
});

test('setFormat with the same clock rate only changes the payload type; bad values throw', () => {
  const s = new RtpSender({ payloadType: 0, clockRate: 8000, ssrc: 1, sequenceNumber: 10, timestamp: 0 });
  s.stamp(0, 0);
  s.setFormat(8, 8000, 20);
  assert.equal(s.payloadType, 8);
  assert.equal(s.stamped, true);
  assert.throws(() => s.setFormat(0, 0), (e: unknown) => e instanceof RtpError && e.code === 'MEDIA_RTP_CONFIG');
  assert.throws(() => s.setFormat(200, 8000), (e: unknown) => e instanceof RtpError && e.code === 'MEDIA_RTP_CONFIG');
});
