import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { testCertificate } from '../../../test/support/tls-cert.ts';
import { TransportManager, type ListenerConfig } from './transport-manager.ts';
import type { CloseReason } from './types.ts';
import { portOf } from './test-support.ts';

const SOCKET_RESOURCES = ['TCPServerWrap', 'TCPSocketWrap', 'TCPWrap', 'UDPWrap', 'TLSWrap'];

function socketResources(): string[] {
  return process.getActiveResourcesInfo().filter((r) => SOCKET_RESOURCES.includes(r));
}

const MESSAGE = Buffer.from('OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nContent-Length: 0\r\n\r\n');

test('manager: close() cascades to every listener and connection, reports shutdown, and is idempotent', async () => {
  const before = socketResources().length;
  const cert = testCertificate();
  const listeners: ListenerConfig[] = (['udp', 'tcp', 'tls', 'ws', 'wss'] as const).map((transport) => ({
    transport,
    address: '127.0.0.1',
    port: 0,
    ...(transport === 'tls' || transport === 'wss' ? { cert: cert.cert, key: cert.key } : {}),
  }));
  const server = await TransportManager.start({ listeners });
  const client = await TransportManager.start({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: 0 }], tlsClient: { ca: cert.cert } });
  const browser = new WebSocket(`ws://127.0.0.1:${portOf(server, 'ws')}/`, 'sip');
  browser.on('error', () => {});
  await new Promise((resolve) => browser.once('open', resolve));

  let received = 0;
  server.onMessage(() => received++);
  for (const transport of ['udp', 'tcp', 'tls', 'ws', 'wss'] as const) {
    await client.send(MESSAGE, { transport, address: '127.0.0.1', port: portOf(server, transport), serverName: 'localhost' });
  }
  while (received < 5 || server.connections().length < 5) await sleep(5);
  assert.equal(client.connections().length, 4);

  const reasons: CloseReason[] = [];
  server.on('connectionClose', (c) => reasons.push(c.reason));
  const browserClosed = new Promise((resolve) => browser.once('close', resolve));
  await Promise.all([server.close(), server.close()]);
  assert.deepEqual(reasons, ['shutdown', 'shutdown', 'shutdown', 'shutdown', 'shutdown']);
  assert.equal(server.connections().length, 0);
  await browserClosed;
  await assert.rejects(server.send(MESSAGE, { transport: 'udp', address: '127.0.0.1', port: 9 }), { code: 'SIP_TRANSPORT_CLOSED' });
  await client.close();
  await client.close();
  await sleep(20);
  assert.equal(socketResources().length, before, JSON.stringify(process.getActiveResourcesInfo()));
});

test('manager: closing aborts a pending connect', async () => {
  const silent = createServer();
  const held: Socket[] = [];
  silent.on('connection', (s) => held.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
  const m = await TransportManager.start({ listeners: [], connectTimeoutMs: 60_000 });
  try {
    const port = (silent.address() as { port: number }).port;
    const pending = m.send(MESSAGE, { transport: 'tls', address: '127.0.0.1', port });
    await sleep(20);
    const started = Date.now();
    await m.close();
    await assert.rejects(pending, { code: 'SIP_TRANSPORT_CLOSED' });
    assert.ok(Date.now() - started < 1000);
  } finally {
    for (const s of held) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('manager: localAddress and listeners (bound, advertised, wildcard, family)', async () => {
  const m = await TransportManager.start({
    listeners: [
      { transport: 'udp', address: '127.0.0.1', port: 0, advertise: { host: 'sip.example.com', port: 5099 } },
      { transport: 'tcp', address: '0.0.0.0', port: 0 },
      { transport: 'tcp', address: '::1', port: 0 },
    ],
  });
  try {
    assert.deepEqual(m.localAddress('udp'), { transport: 'udp', address: 'sip.example.com', host: 'sip.example.com', port: 5099 });
    const [udp, tcp4, tcp6] = m.listeners();
    assert.equal(udp!.bound.address, '127.0.0.1');
    assert.ok(udp!.bound.port > 0);
    assert.notEqual(tcp4!.advertised.address, '0.0.0.0');
    assert.equal(tcp4!.advertised.port, tcp4!.bound.port);
    assert.deepEqual(m.localAddress('tcp', '::1'), { transport: 'tcp', address: '::1', host: '[::1]', port: tcp6!.bound.port });
    assert.equal(m.localAddress('tcp', '127.0.0.1')?.port, tcp4!.bound.port);
    assert.equal(m.localAddress('tls'), undefined);
  } finally {
    await m.close();
  }
});

test('manager: connection(), closeConnection(), and a throwing event listener does not break delivery', async () => {
  const a = await TransportManager.start({ listeners: [{ transport: 'tcp', address: '127.0.0.1', port: 0 }] });
  const b = await TransportManager.start({ listeners: [] });
  try {
    a.onMessage(() => {
      throw new Error('listener bug');
    });
    const got = new Promise<string>((resolve) => a.onMessage((msg) => resolve(msg.source.connectionId!)));
    await b.send(MESSAGE, { transport: 'tcp', address: '127.0.0.1', port: portOf(a, 'tcp') });
    const id = await got;
    assert.equal(a.connection(id)?.direction, 'inbound');
    const closed = new Promise<CloseReason>((resolve) => a.on('connectionClose', (c) => resolve(c.reason)));
    a.closeConnection(id);
    a.closeConnection(id);
    assert.equal(await closed, 'local');
    assert.equal(a.connection(id), undefined);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
