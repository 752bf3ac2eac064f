import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { VirtualClock } from '../../lib/index.ts';
import { testCertificate } from '../../../test/support/tls-cert.ts';
import { TransportError } from './errors.ts';
import { TransportManager, type TransportManagerOptions } from './transport-manager.ts';
import { nextEvent as next, portOf } from './test-support.ts';

function request(n: number): Buffer {
  const body = `body ${n}`;
  return Buffer.from(`MESSAGE sip:a@127.0.0.1 SIP/2.0\r\nCSeq: ${n} MESSAGE\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
}

function rawConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

function readUntil(socket: Socket, predicate: (text: string) => boolean, ms = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(text)}`)), ms);
    const onData = (d: Buffer) => {
      text += d.toString('latin1');
      if (predicate(text)) {
        clearTimeout(timer);
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
  });
}

async function pair(transport: 'tcp' | 'tls', extra: Partial<TransportManagerOptions> = {}): Promise<[TransportManager, TransportManager]> {
  const cert = testCertificate();
  const listener = transport === 'tls' ? { transport, address: '127.0.0.1', port: 0, cert: cert.certPath, key: cert.keyPath } : { transport, address: '127.0.0.1', port: 0 };
  const tlsClient = { ca: cert.cert, rejectUnauthorized: true };
  const a = await TransportManager.start({ listeners: [listener], tlsClient, ...extra });
  const b = await TransportManager.start({ listeners: [{ ...listener, cert: cert.cert, key: cert.key }], tlsClient, ...extra });
  return [a, b];
}

for (const transport of ['tcp', 'tls'] as const) {
  test(`${transport}: responses go back on the inbound connection and new requests reuse it`, async () => {
    const [a, b] = await pair(transport);
    try {
      const opensA: string[] = [];
      const opensB: string[] = [];
      a.on('connectionOpen', (c) => opensA.push(c.id));
      b.on('connectionOpen', (c) => opensB.push(c.id));
      const portA = portOf(a, transport);
      const dest = { transport, address: '127.0.0.1', port: portA, serverName: 'localhost' };

      let got = next(a, 'message');
      await b.send(request(1), dest);
      const m1 = await got;
      assert.equal(m1.data.toString(), request(1).toString());
      assert.equal(m1.source.transport, transport);
      assert.ok(m1.source.connectionId);
      assert.deepEqual(m1.local, { address: '127.0.0.1', port: portA });

      const back = next(b, 'message');
      await a.send(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'), m1.source);
      const r1 = await back;
      assert.equal(r1.source.connectionId, opensB[0]);

      got = next(a, 'message');
      await b.send(request(2), dest);
      const m2 = await got;
      assert.equal(m2.source.connectionId, m1.source.connectionId);

      const toB = next(b, 'message');
      await a.send(request(3), { transport, address: '127.0.0.1', port: m1.source.port });
      assert.equal((await toB).source.connectionId, opensB[0]);

      assert.equal(opensA.length, 1);
      assert.equal(opensB.length, 1);
      assert.equal(a.connections().length, 1);
      assert.equal(b.connections()[0]!.direction, 'outbound');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
}

test('tcp: when the inbound connection is gone, a response opens a new connection to the sent-by port', async () => {
  const [a, b] = await pair('tcp');
  try {
    const got = next(a, 'message');
    await b.send(request(1), { transport: 'tcp', address: '127.0.0.1', port: portOf(a, 'tcp') });
    const m = await got;
    const closed = next(a, 'connectionClose');
    b.closeConnection(b.connections()[0]!.id);
    assert.equal((await closed).reason, 'remote');
    const back = next(b, 'message');
    await a.send(Buffer.from('SIP/2.0 200 OK\r\nl: 0\r\n\r\n'), { ...m.source, port: portOf(b, 'tcp') });
    const r = await back;
    assert.notEqual(r.source.connectionId, m.source.connectionId);
    assert.equal(b.connections()[0]!.direction, 'inbound');
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('tcp: concurrent sends to a new peer share one connection', async () => {
  const [a, b] = await pair('tcp');
  try {
    const dest = { transport: 'tcp' as const, address: '127.0.0.1', port: portOf(a, 'tcp') };
    const received: string[] = [];
    const all = new Promise<void>((resolve) => a.onMessage((m) => received.push(m.data.toString()) === 5 && resolve()));
    await Promise.all([1, 2, 3, 4, 5].map((n) => b.send(request(n), dest)));
    await all;
    assert.equal(b.connections().length, 1);
    assert.equal(received.length, 5);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('tcp: CRLFCRLF ping gets a CRLF pong; messages split and merged arrive whole', async () => {
  const a = await TransportManager.start({ listeners: [{ transport: 'tcp', address: '127.0.0.1', port: 0 }] });
  const raw = await rawConnect(portOf(a, 'tcp'));
  try {
    const pong = readUntil(raw, (t) => t === '\r\n');
    raw.write('\r\n\r\n');
    assert.equal(await pong, '\r\n');
    const texts: string[] = [];
    const three = new Promise<void>((resolve) => a.onMessage((m) => texts.push(m.data.toString()) === 3 && resolve()));
    const bytes = Buffer.concat([request(1), request(2), request(3)]);
    raw.write(bytes.subarray(0, 10));
    raw.write(bytes.subarray(10, 100));
    raw.write(bytes.subarray(100));
    await three;
    assert.deepEqual(texts, [request(1).toString(), request(2).toString(), request(3).toString()]);
  } finally {
    raw.destroy();
    await a.close();
  }
});

test('tcp: a framing error reports the head, lets the stack answer, then closes', async () => {
  const a = await TransportManager.start({ listeners: [{ transport: 'tcp', address: '127.0.0.1', port: 0 }] });
  const raw = await rawConnect(portOf(a, 'tcp'));
  try {
    a.on('framingError', ({ error, source }) => {
      assert.equal(error.code, 'SIP_FRAME_NO_LENGTH');
      assert.match(error.head.toString(), /^INVITE sip:x SIP\/2.0\r\n/);
      void a.send(Buffer.from('SIP/2.0 400 Missing Content-Length\r\nContent-Length: 0\r\n\r\n'), source);
    });
    const closed = next(a, 'connectionClose');
    const answer = new Promise<string>((resolve) => {
      let text = '';
      raw.on('data', (d) => (text += d.toString()));
      raw.on('close', () => resolve(text));
    });
    raw.write('INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n\r\n');
    assert.match(await answer, /^SIP\/2.0 400 /);
    assert.equal((await closed).reason, 'framing');
    assert.equal(a.connections().length, 0);
  } finally {
    raw.destroy();
    await a.close();
  }
});

test('tcp: garbage, oversized heads, resets and abrupt disconnects do not hurt the transport', async () => {
  const a = await TransportManager.start({ listeners: [{ transport: 'tcp', address: '127.0.0.1', port: 0 }], framing: { maxHeaderBytes: 1024 }, lingerMs: 100 });
  try {
    const port = portOf(a, 'tcp');
    const errors: string[] = [];
    a.on('framingError', (e) => errors.push(e.error.code));
    const g = await rawConnect(port);
    const gClosed = new Promise((resolve) => g.on('close', resolve));
    g.on('error', () => {});
    g.write(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    await gClosed;
    const r = await rawConnect(port);
    r.write('OPTIONS sip:x SIP/2.0\r\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    r.resetAndDestroy();
    const d = await rawConnect(port);
    d.write('OPTIONS sip:x SIP/2.0\r\nl: 100\r\n\r\npartial');
    d.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(errors, ['SIP_FRAME_TOO_LARGE']);
    assert.equal(a.connections().length, 0);
    const ok = await rawConnect(port);
    const got = next(a, 'message');
    ok.write(request(9));
    assert.equal((await got).data.toString(), request(9).toString());
    ok.destroy();
  } finally {
    await a.close();
  }
});

test('tcp: idle connections close after the idle time (virtual clock)', async () => {
  const clock = new VirtualClock();
  const a = await TransportManager.start({ listeners: [{ transport: 'tcp', address: '127.0.0.1', port: 0 }], clock, idleTimeoutMs: 30_000 });
  const raw = await rawConnect(portOf(a, 'tcp'));
  try {
    const got = next(a, 'message');
    raw.write(request(1));
    await got;
    clock.advance(20_000);
    raw.write('\r\n\r\n');
    await readUntil(raw, (t) => t === '\r\n');
    clock.advance(20_000);
    assert.equal(a.connections().length, 1);
    const closed = next(a, 'connectionClose');
    clock.advance(10_000);
    assert.equal((await closed).reason, 'idle');
    assert.equal(a.connections().length, 0);
  } finally {
    raw.destroy();
    await a.close();
  }
});

test('tcp: the connection limit refuses more connections', async () => {
  const a = await TransportManager.start({ listeners: [{ transport: 'tcp', address: '127.0.0.1', port: 0 }], maxConnections: 1 });
  const first = await rawConnect(portOf(a, 'tcp'));
  try {
    const got = next(a, 'message');
    first.write(request(1));
    await got;
    const refused = next(a, 'error');
    const second = connect({ host: '127.0.0.1', port: portOf(a, 'tcp') });
    second.on('error', () => {});
    const secondClosed = new Promise((resolve) => second.on('close', resolve));
    const e = (await refused).error;
    assert.ok(e instanceof TransportError && e.code === 'SIP_TRANSPORT_LIMIT');
    await secondClosed;
    assert.equal(a.connections().length, 1);
    await assert.rejects(a.send(request(2), { transport: 'tcp', address: '127.0.0.1', port: 9 }), { code: 'SIP_TRANSPORT_LIMIT' });
  } finally {
    first.destroy();
    await a.close();
  }
});

test('tcp: connect refused and connect timeout are SIP_TRANSPORT_CONNECT', async () => {
  const cert = testCertificate();
  const a = await TransportManager.start({ listeners: [], connectTimeoutMs: 200, tlsClient: { ca: cert.cert } });
  const silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
  const held: Socket[] = [];
  silent.on('connection', (s) => held.push(s));
  const closedPort = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
  try {
    await assert.rejects(a.send(request(1), { transport: 'tcp', address: '127.0.0.1', port: closedPort }), { code: 'SIP_TRANSPORT_CONNECT' });
    const port = (silent.address() as { port: number }).port;
    await assert.rejects(a.send(request(1), { transport: 'tls', address: '127.0.0.1', port }), { code: 'SIP_TRANSPORT_CONNECT', message: /no answer within 200 ms/ });
    assert.equal(a.connections().length, 0);
  } finally {
    for (const s of held) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
    await a.close();
  }
});

test('tls: a client that does not trust the certificate fails with SIP_TRANSPORT_CONNECT; the server reports the failed handshake', async () => {
  const cert = testCertificate();
  const a = await TransportManager.start({ listeners: [{ transport: 'tls', address: '127.0.0.1', port: 0, cert: cert.cert.toString(), key: cert.key }] });
  const b = await TransportManager.start({ listeners: [] });
  const c = await TransportManager.start({ listeners: [], tlsClient: { ca: cert.certPath } });
  try {
    const port = portOf(a, 'tls');
    const serverError = next(a, 'error');
    await assert.rejects(b.send(request(1), { transport: 'tls', address: '127.0.0.1', port }), { code: 'SIP_TRANSPORT_CONNECT' });
    assert.equal((await serverError).transport, 'tls');
    await assert.rejects(c.send(request(1), { transport: 'tls', address: '127.0.0.1', port, serverName: 'sip.example.com' }), { code: 'SIP_TRANSPORT_CONNECT' });
    const got = next(a, 'message');
    await c.send(request(2), { transport: 'tls', address: '127.0.0.1', port });
    await got;
  } finally {
    await Promise.all([a.close(), b.close(), c.close()]);
  }
});

test('tls: a listener without cert or with an unreadable key fails with SIP_TRANSPORT_LISTEN', async () => {
  await assert.rejects(TransportManager.start({ listeners: [{ transport: 'tls', address: '127.0.0.1', port: 0 }] }), { code: 'SIP_TRANSPORT_LISTEN' });
  await assert.rejects(
    TransportManager.start({ listeners: [{ transport: 'tls', address: '127.0.0.1', port: 0, cert: testCertificate().cert, key: '/nonexistent/key.pem' }] }),
    { code: 'SIP_TRANSPORT_LISTEN' },
  );
});
