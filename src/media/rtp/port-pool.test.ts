import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { RtpError } from './errors.ts';
import { PortPool } from './port-pool.ts';

/** An even base in 30000-39999 for a test's own range (random to avoid collisions between runs). */
function testBase(span: number): number {
  return 30000 + 2 * Math.floor((Math.random() * (10000 - span)) / 2);
}

function occupy(port: number): Promise<Socket> {
  const s = createSocket('udp4');
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.bind({ port, address: '127.0.0.1', exclusive: true }, () => resolve(s));
  });
}

const isCode = (code: string) => (e: unknown) => e instanceof RtpError && e.code === code;

test('pool: pre-binds even/odd pairs, allocates until MEDIA_NO_PORT, releases in FIFO order', async () => {
  const base = testBase(10);
  const pool = await PortPool.start({ address: '127.0.0.1', portMin: base, portMax: base + 7 });
  try {
    assert.equal(pool.capacity, 4);
    assert.ok(pool.bound >= 3, 'at most one pair may be taken by someone else');
    const pairs = [];
    while (pool.free > 0) pairs.push(pool.allocate());
    for (const p of pairs) {
      assert.equal(p.rtpPort % 2, 0);
      assert.equal(p.rtcpPort, p.rtpPort + 1);
      assert.ok(p.rtpPort >= base && p.rtcpPort <= base + 7);
      assert.equal(p.rtp.address().port, p.rtpPort);
      assert.equal(p.rtcp.address().port, p.rtcpPort);
    }
    assert.throws(() => pool.allocate(), isCode('MEDIA_NO_PORT'));
    assert.equal(pool.inUse, pairs.length);
    pool.release(pairs[1]!);
    pool.release(pairs[0]!);
    pool.release(pairs[0]!); // idempotent
    assert.equal(pool.free, 2);
    assert.equal(pool.allocate(), pairs[1], 'least recently released first');
    assert.equal(pool.allocate(), pairs[0]);
  } finally {
    await pool.close();
  }
  assert.throws(() => pool.allocate(), isCode('MEDIA_RTP_CLOSED'));
  await pool.close();
});

test('pool: a port held by another process is skipped; the pair is retried later', async () => {
  const base = testBase(10);
  let blocker: Socket;
  try {
    blocker = await occupy(base + 1); // the RTCP port of the first pair
  } catch {
    return; // someone else has it: the point of the test holds anyway
  }
  const pool = await PortPool.start({ address: '127.0.0.1', portMin: base, portMax: base + 5 });
  try {
    assert.ok(pool.bindFailures >= 1);
    const ports = [pool.allocate().rtpPort];
    if (pool.free > 0) ports.push(pool.allocate().rtpPort);
    assert.ok(!ports.includes(base));
  } finally {
    await pool.close();
    await new Promise<void>((r) => blocker.close(() => r()));
  }
});

test('pool: prebind a few, grow in the background below the low-water mark', async () => {
  const base = testBase(40);
  const pool = await PortPool.start({ address: '127.0.0.1', portMin: base, portMax: base + 39, prebind: 4, lowWater: 2, growBy: 4 });
  try {
    assert.equal(pool.capacity, 20);
    assert.ok(pool.bound <= 4);
    const before = pool.bound;
    pool.allocate();
    pool.allocate();
    pool.allocate(); // free drops below 2: a background round starts
    await pool.idle();
    assert.ok(pool.bound > before, `grew from ${before} to ${pool.bound}`);
  } finally {
    await pool.close();
  }
});

test('pool: release undoes connect() and listeners', async () => {
  const base = testBase(6);
  const pool = await PortPool.start({ address: '127.0.0.1', portMin: base, portMax: base + 3 });
  try {
    const pair = pool.allocate();
    pair.rtp.on('message', () => {});
    await new Promise<void>((r) => pair.rtp.connect(9, '127.0.0.1', () => r()));
    pool.release(pair);
    assert.equal(pair.rtp.listenerCount('message'), 0);
    assert.throws(() => pair.rtp.remoteAddress());
  } finally {
    await pool.close();
  }
});

test('pool: bad options are typed errors', async () => {
  await assert.rejects(PortPool.start({ address: 'localhost', portMin: 30000, portMax: 30010 }), isCode('MEDIA_RTP_CONFIG'));
  await assert.rejects(PortPool.start({ address: '127.0.0.1', portMin: 30010, portMax: 30000 }), isCode('MEDIA_RTP_CONFIG'));
  await assert.rejects(PortPool.start({ address: '192.0.2.77', portMin: 30000, portMax: 30003 }), isCode('MEDIA_PORT_BIND'));
});
