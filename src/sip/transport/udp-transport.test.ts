import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { TransportManager } from './transport-manager.ts';
import type { TransportEvents } from './types.ts';
import { mtuExceeded, UdpTransport, UDP_MAX_DATAGRAM } from './udp-transport.ts';
import { isStun } from './stun.ts';
import { nextEvent } from './test-support.ts';

const next = <K extends keyof TransportEvents>(m: TransportManager, event: K, ms = 2000): Promise<TransportEvents[K]> =>
  nextEvent(m, event, ms);

function udpPort(m: TransportManager): number {
  return m.listeners().find((l) => l.transport === 'udp')!.bound.port;
}

function rawSocket(): Promise<Socket> {
  const s = createSocket('udp4');
  return new Promise((resolve) => s.bind(0, '127.0.0.1', () => resolve(s)));
}

const REQUEST = Buffer.from('OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;rport\r\n\r\n');

test('udp: port 0 binds an ephemeral port; datagrams go both ways; responses leave from the listener', async () => {
  const a = await TransportManager.start({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: 0 }] });
  const b = await TransportManager.start({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: 0 }] });
  try {
    const portA = udpPort(a);
    const portB = udpPort(b);
    assert.ok(portA > 0 && portA !== 5060);
    assert.deepEqual(a.localAddress('udp'), { transport: 'udp', address: '127.0.0.1', host: '127.0.0.1', port: portA });

    const got = next(a, 'message');
    await b.send(REQUEST, { transport: 'udp', address: '127.0.0.1', port: portA });
    const m = await got;
    assert.equal(m.data.toString(), REQUEST.toString());
    assert.deepEqual(m.source, { transport: 'udp', address: '127.0.0.1', port: portB, local: { address: '127.0.0.1', port: portA } });
    assert.deepEqual(m.local, { address: '127.0.0.1', port: portA });

    const back = next(b, 'message');
    await a.send(Buffer.from('SIP/2.0 200 OK\r\n\r\n'), m.source);
    const r = await back;
    assert.equal(r.source.port, portA);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('udp: CRLF keep-alives are dropped and STUN binding requests are answered', async () => {
  const a = await TransportManager.start({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: 0 }] });
  const raw = await rawSocket();
  try {
    const messages: unknown[] = [];
    a.onMessage((m) => messages.push(m));
    raw.send(Buffer.from('\r\n\r\n'), udpPort(a), '127.0.0.1');
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0);
    request.writeUInt32BE(0x2112a442, 4);
    request.fill(7, 8);
    const answer = new Promise<Buffer>((resolve) => raw.once('message', (d) => resolve(d)));
    raw.send(request, udpPort(a), '127.0.0.1');
    const response = await answer;
    assert.ok(isStun(response));
    assert.equal(response.readUInt16BE(0), 0x0101);
    assert.equal(response.readUInt16BE(26) ^ 0x2112, raw.address().port);
    const got = next(a, 'message');
    raw.send(REQUEST, udpPort(a), '127.0.0.1');
    await got;
    assert.equal(messages.length, 1);
  } finally {
    raw.close();
    await a.close();
  }
});

test('udp: size limit, unreachable family, closed manager', async () => {
  const a = await TransportManager.start({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: 0 }] });
  await assert.rejects(a.send(Buffer.alloc(UDP_MAX_DATAGRAM + 1), { transport: 'udp', address: '127.0.0.1', port: 9 }), { code: 'SIP_TRANSPORT_TOO_LARGE' });
  await assert.rejects(a.send(REQUEST, { transport: 'udp', address: '::1', port: 9 }), { code: 'SIP_TRANSPORT_NO_ROUTE' });
  await assert.rejects(a.send(REQUEST, { transport: 'tcp', address: 'example.com', port: 9 }), { code: 'SIP_TRANSPORT_NO_ROUTE' });
  await a.close();
  await a.close();
  await assert.rejects(a.send(REQUEST, { transport: 'udp', address: '127.0.0.1', port: 9 }), { code: 'SIP_TRANSPORT_CLOSED' });
});

test('udp: IPv6 loopback and a dual-stack wildcard listener', async (t) => {
  let a: TransportManager;
  try {
    a = await TransportManager.start({ listeners: [{ transport: 'udp', address: '::', port: 0 }] });
  } catch {
    t.skip('no IPv6 on this machine');
    return;
  }
  const b = await TransportManager.start({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: 0 }] });
  try {
    const got = next(a, 'message');
    await b.send(REQUEST, { transport: 'udp', address: '127.0.0.1', port: udpPort(a) });
    const m = await got;
    assert.equal(m.source.address, '127.0.0.1');
    const back = next(b, 'message');
    await a.send(REQUEST, m.source);
    await back;
    const six = next(a, 'message');
    const raw = createSocket('udp6');
    await new Promise<void>((resolve) => raw.bind(0, '::1', () => resolve()));
    raw.send(REQUEST, udpPort(a), '::1');
    assert.equal((await six).source.address, '::1');
    raw.close();
    assert.equal(a.localAddress('udp', '::1')?.port, udpPort(a));
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('udp: a listener that cannot bind fails start with SIP_TRANSPORT_LISTEN', async () => {
  const a = await TransportManager.start({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: 0 }] });
  try {
    await assert.rejects(
      TransportManager.start({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: udpPort(a) }] }),
      { code: 'SIP_TRANSPORT_LISTEN' },
    );
    await assert.rejects(TransportManager.start({ listeners: [{ transport: 'udp', address: 'localhost', port: 0 }] }), { code: 'SIP_TRANSPORT_LISTEN' });
  } finally {
    await a.close();
  }
});

test('mtuExceeded: RFC 3261 section 18.1.1 thresholds', () => {
  assert.equal(mtuExceeded(1300), false);
  assert.equal(mtuExceeded(1301), true);
  assert.equal(mtuExceeded(1300, 1500), false);
  assert.equal(mtuExceeded(1301, 1500), true);
  assert.equal(mtuExceeded(8000, 9000), false);
});

test('udp: the socket receive buffer is raised as asked, up to what the OS allows', async () => {
  const hooks = { message: () => {}, error: () => {} };
  const plain = await UdpTransport.bind({ address: '127.0.0.1', port: 0 }, hooks);
  const raised = await UdpTransport.bind({ address: '127.0.0.1', port: 0, receiveBufferBytes: 1024 * 1024 }, hooks);
  try {
    assert.ok(raised.receiveBufferBytes >= plain.receiveBufferBytes);
    let osMax = 0;
    try {
      osMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
    } catch {
      osMax = 0;
    }
    if (osMax >= 1024 * 1024) assert.ok(raised.receiveBufferBytes >= 1024 * 1024, `granted ${raised.receiveBufferBytes}`);
  } finally {
    await plain.close();
    await raised.close();
  }
});
