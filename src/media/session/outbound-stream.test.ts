import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpPacketView, serializeRtpPacket, type RtpRemote } from '../rtp/index.ts';
import { OutboundStream } from './outbound-stream.ts';
import type { RtpPacketHandler, RtpTransportPort, RtpTransportStats } from './rtp-transport.ts';

/** A port that parses and keeps what is sent. */
class FakePort implements RtpTransportPort {
  readonly kind = 'fake';
  readonly localAddress = '127.0.0.1';
  readonly localPort = 4000;
  readonly ssrc = 0x11223344;
  closed = false;
  readonly sent: { seq: number; ts: number; pt: number; marker: boolean; ssrc: number; payload: string }[] = [];
  setHandler(_h: RtpPacketHandler | undefined): void {}
  send(packet: Buffer, length: number): boolean {
    const v = new RtpPacketView();
    assert.equal(v.parse(Buffer.from(packet.subarray(0, length))), 'ok');
    this.sent.push({ seq: v.sequenceNumber, ts: v.timestamp, pt: v.payloadType, marker: v.marker, ssrc: v.ssrc, payload: v.payload().toString('latin1') });
    return true;
  }
  setRemote(_r: RtpRemote | undefined): void {}
  stats(): RtpTransportStats {
    throw new Error('not used');
  }
  close(): void {}
}

function incoming(seq: number, ts: number, ssrc = 0xabcdef, pt = 0, marker = false, body = `p${seq}`): RtpPacketView {
  const buf = Buffer.alloc(200);
  const n = serializeRtpPacket(buf, { marker, payloadType: pt, sequenceNumber: seq, timestamp: ts, ssrc }, Buffer.from(body, 'latin1'));
  const v = new RtpPacketView();
  v.parse(buf, n);
  return v;
}

const payload = Buffer.from('local', 'latin1');

function diffs(port: FakePort): { dseq: number[]; dts: number[] } {
  const s = port.sent;
  return {
    dseq: s.slice(1).map((p, i) => (p.seq - s[i]!.seq) & 0xffff),
    dts: s.slice(1).map((p, i) => (p.ts - s[i]!.ts) >>> 0),
  };
}

test('local frames, a relay run, local again: one continuous stream under our SSRC', () => {
  const port = new FakePort();
  const out = new OutboundStream(port, 0, 8000, 160, 20, 20);
  let t = 0;
  for (let i = 0; i < 3; i++, t += 20) out.sendLocal(payload, payload.length, 160, t);
  // The peer's stream, with numbers of its own, arriving between ticks.
  for (let i = 0; i < 4; i++, t += 20) out.relay(incoming(5000 + i, 90000 + i * 160), 0, true, t + 3);
  for (let i = 0; i < 2; i++, t += 20) out.sendLocal(payload, payload.length, 160, t);
  const { dseq, dts } = diffs(port);
  assert.deepEqual(dseq, Array(8).fill(1));
  assert.deepEqual(dts, Array(8).fill(160));
  assert.ok(port.sent.every((p) => p.ssrc === port.ssrc));
  assert.deepEqual(port.sent.map((p) => p.marker), [true, false, false, true, false, false, false, true, false]);
  assert.equal(port.sent[3]!.payload, 'p5000', 'the relayed payload is carried unchanged');
});

test('relay keeps the peer gaps and reordering, drops packets from before the run', () => {
  const port = new FakePort();
  const out = new OutboundStream(port, 8, 8000, 160, 20, 20);
  out.sendLocal(payload, payload.length, 160, 0);
  out.relay(incoming(100, 1000), 8, true, 20);
  out.relay(incoming(102, 1320), 8, true, 60); // 101 lost
  out.relay(incoming(101, 1160), 8, true, 61); // late
  assert.equal(out.relay(incoming(99, 840), 8, true, 62), false, 'older than the run');
  const seqs = port.sent.map((p) => p.seq - port.sent[0]!.seq);
  assert.deepEqual(seqs, [0, 1, 3, 2]);
  const ts = port.sent.map((p) => (p.ts - port.sent[0]!.ts) >>> 0);
  assert.deepEqual(ts, [0, 160, 480, 320]);
  assert.equal(out.relayDropped, 1);
  // The next local frame follows the highest sequence number sent.
  out.sendLocal(payload, payload.length, 160, 80);
  assert.equal((port.sent.at(-1)!.seq - port.sent[0]!.seq) & 0xffff, 4);
  assert.equal((port.sent.at(-1)!.ts - port.sent[0]!.ts) >>> 0, 640);
});

test('a new SSRC in the relayed stream starts a new run where the stream stands', () => {
  const port = new FakePort();
  const out = new OutboundStream(port, 0, 8000, 160, 20, 20);
  out.relay(incoming(10, 500, 1), 0, true, 0);
  out.relay(incoming(11, 660, 1), 0, true, 20);
  out.relay(incoming(7000, 123456, 2), 0, true, 100); // a new source, 80 ms later
  const { dseq, dts } = diffs(port);
  assert.deepEqual(dseq, [1, 1]);
  assert.deepEqual(dts, [160, 160 * 4]);
  assert.equal(port.sent[2]!.marker, true);
});

test('skipped ticks move the timestamp; a relay run after a quiet wait keeps time', () => {
  const port = new FakePort();
  const out = new OutboundStream(port, 0, 8000, 160, 20, 20);
  out.sendLocal(payload, payload.length, 160, 0);
  out.skip(160, 20);
  out.skip(160, 40);
  out.sendLocal(payload, payload.length, 160, 60);
  // Nothing for three ticks (a link waiting for packets), then a relayed packet.
  out.relay(incoming(1, 1), 0, true, 140);
  assert.deepEqual(diffs(port).dts, [480, 160 * 4]);
  assert.deepEqual(diffs(port).dseq, [1, 1]);
});

test('RFC 4733 events carry their own timestamp; a clock-rate change keeps the numbering', () => {
  const port = new FakePort();
  const out = new OutboundStream(port, 0, 8000, 160, 20, 20);
  out.sendLocal(payload, payload.length, 160, 0);
  const start = out.localTimestamp(20);
  out.sendEvent(Buffer.from([1, 0, 0, 160]), start, true, 101, 20);
  out.skip(160, 20);
  out.sendEvent(Buffer.from([1, 0x80, 1, 64]), start, false, 101, 40);
  out.skip(160, 40);
  out.sendLocal(payload, payload.length, 160, 60);
  assert.deepEqual(port.sent.map((p) => p.pt), [0, 101, 101, 0]);
  assert.equal(port.sent[1]!.ts, port.sent[2]!.ts);
  assert.equal((port.sent[3]!.ts - port.sent[1]!.ts) >>> 0, 320);
  out.configure(111, 48000, 960, 20, 80);
  out.sendLocal(payload, payload.length, 960, 80);
  assert.equal(port.sent.at(-1)!.pt, 111);
  assert.equal((port.sent.at(-1)!.seq - port.sent[3]!.seq) & 0xffff, 1);
});
