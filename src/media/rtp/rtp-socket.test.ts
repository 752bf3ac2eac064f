import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { VirtualClock } from '../../lib/index.ts';
import { RtpError } from './errors.ts';
import { PortPool } from './port-pool.ts';
import type { RtcpPacket } from './rtcp.ts';
import { RtpPacketView, serializeRtpPacket } from './rtp-packet.ts';
import { RtpSocket, type RtpSocketOptions } from './rtp-socket.ts';
import { SocketConnector } from './socket-connector.ts';

function testBase(span: number): number {
  return 30000 + 2 * Math.floor((Math.random() * (10000 - span)) / 2);
}

async function until(cond: () => boolean, what: string, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

interface Received {
  seqs: number[];
  payloads: string[];
  changes: number;
}

function collector(): { received: Received; onPacket: RtpSocketOptions['onPacket'] } {
  const received: Received = { seqs: [], payloads: [], changes: 0 };
  return {
    received,
    onPacket: (p, changed) => {
      received.seqs.push(p.sequenceNumber);
      received.payloads.push(p.buffer.toString('latin1', p.payloadOffset, p.payloadOffset + p.payloadLength));
      if (changed) received.changes++;
    },
  };
}

function rawSocket(): Promise<Socket> {
  const s = createSocket('udp4');
  return new Promise((resolve) => s.bind(0, '127.0.0.1', () => resolve(s)));
}

async function withPool(fn: (pool: PortPool) => Promise<void>): Promise<void> {
  const base = testBase(20);
  const pool = await PortPool.start({ address: '127.0.0.1', portMin: base, portMax: base + 19 });
  const free = pool.free;
  try {
    await fn(pool);
    assert.equal(pool.free, free, 'every socket returned its ports');
  } finally {
    await pool.close();
  }
}

const pcmu = (i: number): Buffer => Buffer.from(`frame-${i}`.padEnd(160, '.'), 'latin1');

test('socket: two endpoints exchange frames, latch symmetric RTP and connect', async () => {
  await withPool(async (pool) => {
    const ra = collector();
    const rb = collector();
    const a = RtpSocket.open(pool, { payloadType: 0, clockRate: 8000, rtcpIntervalMs: 0, onPacket: ra.onPacket });
    const b = RtpSocket.open(pool, { payloadType: 0, clockRate: 8000, rtcpIntervalMs: 0, onPacket: rb.onPacket, remote: { address: '127.0.0.1', port: a.localPort } });
    a.setRemote({ address: '127.0.0.1', port: b.localPort });
    try {
      for (let i = 0; i < 20; i++) assert.equal(a.sendFrame(pcmu(i), 160), true);
      await until(() => rb.received.seqs.length === 20, 'B to receive 20 frames');
      assert.equal(rb.received.payloads[7]!.slice(0, 7), 'frame-7');
      assert.equal(b.latch.latched, true);
      assert.equal(b.receiver.ssrc, a.sender.ssrc);
      // B answers over the (now connected) socket; A latches on B's packets.
      await until(() => b.stats().latched, 'B latched');
      await new Promise((r) => setTimeout(r, 5));
      for (let i = 0; i < 20; i++) b.sendFrame(pcmu(100 + i), 160);
      await until(() => ra.received.seqs.length === 20, 'A to receive');
      // A burst of 20 in one go over the connected socket: the send buffer ring never garbles a packet.
      assert.deepEqual(ra.received.payloads.map((p) => p.slice(0, 9)), Array.from({ length: 20 }, (_, i) => `frame-${100 + i}`));
      const sa = a.stats();
      const sb = b.stats();
      assert.equal(sa.packetsOut, 20);
      assert.equal(sb.packetsIn, 20);
      assert.equal(sb.bytesIn, 20 * (12 + 160));
      assert.equal(sb.packetsLost, 0);
      assert.equal(sb.remoteSsrc, a.sender.ssrc);
      assert.equal(sb.invalidIn, 0);
      assert.ok(sb.jitterMs >= 0);
    } finally {
      a.close();
      b.close();
    }
  });
});

test('socket: behind NAT, the destination moves to where media comes from', async () => {
  await withPool(async (pool) => {
    const rb = collector();
    const phone = await rawSocket();
    const got: Buffer[] = [];
    phone.on('message', (m) => got.push(m));
    // The SDP names an address where nobody listens (a private address in real life).
    const b = RtpSocket.open(pool, { payloadType: 0, clockRate: 8000, rtcpIntervalMs: 0, onPacket: rb.onPacket, remote: { address: '127.0.0.1', port: 9 } });
    try {
      const out = Buffer.alloc(200);
      for (let seq = 1; seq <= 3; seq++) {
        const n = serializeRtpPacket(out, { marker: false, payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc: 77 }, pcmu(seq));
        phone.send(out.subarray(0, n), b.localPort, '127.0.0.1');
        await until(() => b.packetsIn === seq, `packet ${seq}`);
      }
      assert.equal(b.droppedIn, 1, 'the first packet from the new source is not trusted');
      assert.deepEqual(rb.received.seqs, [2, 3]);
      assert.deepEqual(b.remote?.port, phone.address().port);
      await new Promise((r) => setTimeout(r, 5));
      b.sendFrame(pcmu(0), 160);
      await until(() => got.length === 1, 'the phone to receive');
      const v = new RtpPacketView();
      assert.equal(v.parse(got[0]!), 'ok');
      assert.equal(v.ssrc, b.sender.ssrc);
      assert.equal(v.marker, true);
    } finally {
      b.close();
      phone.close();
    }
  });
});

test('socket: unusable SDP address latches on the first packet; latching off hears any source and keeps the SDP destination', async () => {
  await withPool(async (pool) => {
    const phone = await rawSocket();
    const r1 = collector();
    const r2 = collector();
    const open = (remote: { address: string; port: number }, latching: boolean, onPacket: RtpSocketOptions['onPacket']) =>
      RtpSocket.open(pool, { payloadType: 0, clockRate: 8000, rtcpIntervalMs: 0, remote, latching, onPacket });
    const hold = open({ address: '0.0.0.0', port: 4000 }, true, r1.onPacket);
    const strict = open({ address: '127.0.0.1', port: 9 }, false, r2.onPacket);
    try {
      assert.equal(hold.sendFrame(pcmu(0), 160), false, 'nowhere to send yet');
      assert.equal(hold.sendDropped, 1);
      const out = Buffer.alloc(200);
      const n = serializeRtpPacket(out, { marker: true, payloadType: 0, sequenceNumber: 5, timestamp: 0, ssrc: 1 }, pcmu(0));
      phone.send(out.subarray(0, n), hold.localPort, '127.0.0.1');
      phone.send(out.subarray(0, n), strict.localPort, '127.0.0.1');
      await until(() => hold.packetsIn === 1, 'hold socket packet');
      assert.equal(r1.received.seqs.length, 1);
      assert.equal(hold.remote?.port, phone.address().port);
      await until(() => r2.received.seqs.length === 1, 'the packet from another source');
      assert.equal(strict.remote?.port, 9, 'without latching the destination stays the SDP one');
    } finally {
      hold.close();
      strict.close();
      phone.close();
    }
  });
});

test('socket: RTCP SR/RR exchange gives round-trip time, loss and jitter; BYE on close', async () => {
  await withPool(async (pool) => {
    const rtcpAtB: RtcpPacket[][] = [];
    const rtcpAtA: RtcpPacket[][] = [];
    const a = RtpSocket.open(pool, { payloadType: 0, clockRate: 8000, rtcpIntervalMs: 0, cname: 'a@test', onPacket: () => {}, onRtcp: (p) => rtcpAtA.push([...p]) });
    const b = RtpSocket.open(pool, {
      payloadType: 0,
      clockRate: 8000,
      rtcpIntervalMs: 0,
      onPacket: () => {},
      onRtcp: (p) => rtcpAtB.push([...p]),
      remote: { address: '127.0.0.1', port: a.localPort, rtcpPort: a.localRtcpPort },
    });
    a.setRemote({ address: '127.0.0.1', port: b.localPort, rtcpPort: b.localRtcpPort });
    try {
      for (let i = 0; i < 20; i++) {
        if (i === 5) a.sender.sequenceNumber = (a.sender.sequenceNumber + 1) & 0xffff; // one packet lost on the way
        else a.sendFrame(pcmu(i), 160);
      }
      await until(() => b.packetsIn === 19, 'B to receive');
      a.sendReport();
      await until(() => rtcpAtB.length === 1, 'SR at B');
      const [sr, sdes] = rtcpAtB[0]!;
      assert.equal(sr?.type, 'sr');
      assert.deepEqual(sdes, { type: 'sdes', chunks: [{ ssrc: a.sender.ssrc, items: [{ type: 1, value: 'a@test' }] }] });
      if (sr?.type === 'sr') assert.equal(sr.sender.packetCount, 19);
      b.sendReport();
      await until(() => rtcpAtA.length === 1, 'RR at A');
      assert.equal(rtcpAtA[0]![0]!.type, 'rr');
      const sa = a.stats();
      assert.ok(sa.rttMs !== undefined && sa.rttMs >= 0 && sa.rttMs < 1000, `rtt ${sa.rttMs}`);
      assert.equal(sa.remoteCumulativeLost, 1);
      assert.ok(sa.remoteFractionLost! > 0);
      assert.equal(b.stats().packetsLost, 1);
      a.close();
      await until(() => rtcpAtB.length === 2, 'BYE at B');
      assert.deepEqual(rtcpAtB[1]!.at(-1), { type: 'bye', ssrcs: [a.sender.ssrc] });
    } finally {
      a.close();
      b.close();
    }
  });
});

test('socket: rtcp-mux reports arrive on the RTP port; periodic reports run on the injected clock', async () => {
  await withPool(async (pool) => {
    const clock = new VirtualClock(1000);
    const seen: string[] = [];
    const a = RtpSocket.open(pool, { payloadType: 0, clockRate: 8000, rtcpMux: true, clock, onPacket: () => {} });
    const b = RtpSocket.open(pool, { payloadType: 0, clockRate: 8000, rtcpIntervalMs: 0, rtcpMux: true, onPacket: () => {}, onRtcp: (p) => seen.push(p[0]!.type) });
    a.setRemote({ address: '127.0.0.1', port: b.localPort });
    try {
      clock.advance(7500); // first report in [1.25 s, 3.75 s], the second within 7.5 s after it
      assert.ok(a.rtcpOut >= 1, `reports sent: ${a.rtcpOut}`);
      await until(() => seen.length === a.rtcpOut, 'reports at B');
      assert.equal(seen[0], 'rr', 'nothing sent yet: RR');
      assert.equal(b.packetsIn, a.rtcpOut);
      const before = a.rtcpOut;
      clock.advance(60_000);
      assert.ok(a.rtcpOut - before >= 8 && a.rtcpOut - before <= 24, `about 12 reports a minute, got ${a.rtcpOut - before}`);
    } finally {
      a.close();
      b.close();
    }
    clock.advance(60_000);
    assert.equal(clock.pending, 0, 'close cancels the RTCP timer');
  });
});

test('socket: junk is counted, a throwing handler is contained, closed sockets refuse to send', async () => {
  await withPool(async (pool) => {
    const phone = await rawSocket();
    const s = RtpSocket.open(pool, {
      payloadType: 0,
      clockRate: 8000,
      rtcpIntervalMs: 0,
      onPacket: () => {
        throw new Error('boom');
      },
    });
    try {
      phone.send(Buffer.from('not rtp'), s.localPort, '127.0.0.1');
      const out = Buffer.alloc(64);
      const n = serializeRtpPacket(out, { marker: false, payloadType: 0, sequenceNumber: 1, timestamp: 0, ssrc: 1 }, Buffer.alloc(8));
      phone.send(out.subarray(0, n), s.localPort, '127.0.0.1');
      await until(() => s.packetsIn === 2, 'two datagrams');
      assert.equal(s.invalidIn, 1);
      assert.equal(s.callbackErrors, 1);
    } finally {
      s.close();
      s.close();
      phone.close();
    }
    assert.throws(() => s.sendFrame(Buffer.alloc(1), 160), (e: unknown) => e instanceof RtpError && e.code === 'MEDIA_RTP_CLOSED');
  });
});

test('socket: open() throws MEDIA_NO_PORT when the pool is exhausted', async () => {
  const base = testBase(4);
  const pool = await PortPool.start({ address: '127.0.0.1', portMin: base, portMax: base + 1 });
  try {
    if (pool.bound === 0) return;
    const s = RtpSocket.open(pool, { payloadType: 0, clockRate: 8000, rtcpIntervalMs: 0, onPacket: () => {} });
    assert.throws(
      () => RtpSocket.open(pool, { payloadType: 0, clockRate: 8000, onPacket: () => {} }),
      (e: unknown) => e instanceof RtpError && e.code === 'MEDIA_NO_PORT',
    );
    s.close();
    assert.equal(pool.free, 1);
    assert.throws(
      () => RtpSocket.open(pool, { payloadType: 300, clockRate: 8000, onPacket: () => {} }),
      (e: unknown) => e instanceof RtpError && e.code === 'MEDIA_RTP_CONFIG',
    );
    assert.equal(pool.free, 1, 'a failed open returns its pair');
  } finally {
    await pool.close();
  }
});

test('socket: re-INVITE moves a connected socket; without connect() a NAT rebinding relatches', async () => {
  await withPool(async (pool) => {
    const x = await rawSocket();
    const y = await rawSocket();
    const atX: Buffer[] = [];
    const atY: Buffer[] = [];
    x.on('message', (m) => atX.push(m));
    y.on('message', (m) => atY.push(m));
    const fixed = RtpSocket.open(pool, { payloadType: 0, clockRate: 8000, rtcpIntervalMs: 0, latching: false, remote: { address: '127.0.0.1', port: x.address().port }, onPacket: () => {} });
    const loose = RtpSocket.open(pool, { payloadType: 0, clockRate: 8000, rtcpIntervalMs: 0, connect: false, remote: { address: '127.0.0.1', port: x.address().port }, onPacket: () => {} });
    try {
      await new Promise((r) => setTimeout(r, 5));
      fixed.sendFrame(pcmu(1), 160);
      await until(() => atX.length === 1, 'X hears the fixed socket');
      fixed.setRemote({ address: '127.0.0.1', port: y.address().port });
      await new Promise((r) => setTimeout(r, 5));
      fixed.sendFrame(pcmu(2), 160);
      await until(() => atY.length === 1, 'Y hears the fixed socket after the re-INVITE');
      // The loose socket hears X first, then the "same phone" from Y (a NAT rebinding, same SSRC).
      const out = Buffer.alloc(200);
      const send = (from: Socket, seq: number): void => {
        const n = serializeRtpPacket(out, { marker: false, payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc: 5 }, pcmu(seq));
        from.send(out.subarray(0, n), loose.localPort, '127.0.0.1');
      };
      send(x, 1);
      await until(() => loose.packetsIn === 1, 'first packet');
      assert.equal(loose.remote?.port, x.address().port);
      send(y, 2);
      await until(() => loose.packetsIn === 2, 'second packet');
      send(y, 3);
      await until(() => loose.packetsIn === 3, 'third packet');
      assert.equal(loose.remote?.port, y.address().port);
      assert.equal(loose.latch.relatches, 1);
      loose.sendFrame(pcmu(9), 160);
      await until(() => atY.length === 2, 'Y hears the relatched socket');
    } finally {
      fixed.close();
      loose.close();
      x.close();
      y.close();
    }
  });
});

test('socket connector: closing while connect() is in flight returns the ports once it settles', async () => {
  const base = testBase(4);
  const pool = await PortPool.start({ address: '127.0.0.1', portMin: base, portMax: base + 3 });
  try {
    const free = pool.free;
    const pair = pool.allocate();
    const connector = new SocketConnector(pair.rtp, () => pool.release(pair));
    connector.connectTo('127.0.0.1', 9);
    connector.close();
    assert.equal(pool.free, free - 1, 'held until connect() settles');
    await until(() => pool.free === free, 'the pair back in the pool');
    const again = pool.allocate();
    assert.throws(() => again.rtp.remoteAddress(), 'handed out disconnected');
    pool.release(again);
  } finally {
    await pool.close();
  }
});

test('socket: setFormat (re-INVITE to Opus) keeps SSRC and numbering; the next SR speaks the 48 kHz clock', async () => {
  await withPool(async (pool) => {
    const rtcpAtB: RtcpPacket[][] = [];
    const seen: { seq: number; ts: number; pt: number; ssrc: number }[] = [];
    const a = RtpSocket.open(pool, { payloadType: 0, clockRate: 8000, rtcpIntervalMs: 0, onPacket: () => {} });
    const b = RtpSocket.open(pool, {
      payloadType: 0, clockRate: 8000, rtcpIntervalMs: 0,
      onPacket: (p) => seen.push({ seq: p.sequenceNumber, ts: p.timestamp, pt: p.payloadType, ssrc: p.ssrc }),
      onRtcp: (p) => rtcpAtB.push([...p]),
      remote: { address: '127.0.0.1', port: a.localPort, rtcpPort: a.localRtcpPort },
    });
    a.setRemote({ address: '127.0.0.1', port: b.localPort, rtcpPort: b.localRtcpPort });
    try {
      for (let i = 0; i < 5; i++) a.sendFrame(pcmu(i), 160);
      a.setFormat(111, 48000);
      b.setFormat(111, 48000);
      assert.equal(a.clockRate, 48000);
      for (let i = 5; i < 10; i++) a.sendFrame(pcmu(i), 960);
      await until(() => seen.length === 10, 'B to receive');
      for (let i = 1; i < 10; i++) {
        assert.equal(seen[i]!.seq, (seen[i - 1]!.seq + 1) & 0xffff, 'continuous sequence');
        assert.ok(((seen[i]!.ts - seen[i - 1]!.ts) | 0) > 0, 'monotonic timestamp');
        assert.equal(seen[i]!.ssrc, seen[0]!.ssrc);
      }
      assert.deepEqual(seen.map((s) => s.pt), [0, 0, 0, 0, 0, 111, 111, 111, 111, 111]);
      a.sendReport();
      await until(() => rtcpAtB.length === 1, 'SR at B');
      const sr = rtcpAtB[0]![0]!;
      assert.equal(sr.type, 'sr');
      if (sr.type === 'sr') {
        const ahead = (sr.sender.rtpTimestamp - seen[5]!.ts) | 0;
        // Sent a few ms after the first 48 kHz frame: at most a few hundred ms of 48 kHz units ahead of it.
        assert.ok(ahead >= 0 && ahead < 48 * 500, `SR timestamp ${ahead} units after the first Opus frame`);
      }
      assert.ok(b.stats().jitterMs < 50, `jitter ${b.stats().jitterMs} ms`);
    } finally {
      a.close();
      b.close();
    }
  });
  await assert.rejects(async () => {
    const base = testBase(4);
    const pool = await PortPool.start({ address: '127.0.0.1', portMin: base, portMax: base + 3 });
    const s = RtpSocket.open(pool, { payloadType: 0, clockRate: 8000, rtcpIntervalMs: 0, onPacket: () => {} });
    s.close();
    try {
      s.setFormat(111, 48000);
    } finally {
      await pool.close();
    }
  }, (e: unknown) => e instanceof RtpError && e.code === 'MEDIA_RTP_CLOSED');
});
