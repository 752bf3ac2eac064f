import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortPool, serializeRtpPacket, type RtpPacketView } from '../rtp/index.ts';
import { UdpRtpTransport } from './udp-rtp-transport.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 2000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

function packet(ssrc: number, seq: number): Buffer {
  const buf = Buffer.alloc(172);
  serializeRtpPacket(buf, { marker: false, payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc }, Buffer.alloc(160, 0xff));
  return buf;
}

test('UDP transport: packets both ways, a reply sent while the socket connects is held and delivered, close frees the port', async () => {
  const base = 40000 + 2 * Math.floor((Math.random() * 9900) / 2);
  const pool = await PortPool.start({ address: '127.0.0.1', portMin: base, portMax: base + 7 });
  const free = pool.free;
  try {
    const a = UdpRtpTransport.open(pool, { rtcpIntervalMs: 0 });
    const b = UdpRtpTransport.open(pool, { rtcpIntervalMs: 0, remote: { address: '127.0.0.1', port: a.localPort } });
    a.setRemote({ address: '127.0.0.1', port: b.localPort });
    const atA: number[] = [];
    const atB: number[] = [];
    a.setHandler((v: RtpPacketView) => atA.push(v.sequenceNumber));
    // B answers every packet at once, from inside the receive callback (an echo).
    let seq = 500;
    b.setHandler((v: RtpPacketView) => {
      atB.push(v.sequenceNumber);
      assert.equal(b.send(packet(b.ssrc, seq++), 172), true);
    });
    for (let i = 0; i < 5; i++) assert.equal(a.send(packet(a.ssrc, 10 + i), 172), true);
    await until(() => atA.length === 5, 'five replies');
    assert.deepEqual(atB, [10, 11, 12, 13, 14]);
    assert.deepEqual(atA, [500, 501, 502, 503, 504], 'in order, the first one held while B connected');
    assert.ok(b.heldSent >= 1);
    const sa = a.stats();
    assert.equal(sa.packetsOut, 5);
    assert.equal(sa.packetsIn, 5);
    assert.equal(a.socket.sender.packets, 5, 'RTCP sender counts follow what was sent');
    assert.equal(a.socket.sender.octets, 5 * 160);
    a.close();
    b.close();
    a.close();
    assert.equal(a.closed, true);
    assert.equal(a.send(packet(a.ssrc, 1), 172), false);
    await until(() => pool.free === free, 'ports back in the pool');
  } finally {
    await pool.close();
  }
});
