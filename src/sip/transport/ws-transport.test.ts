import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { WebSocket } from 'ws';
import { testCertificate } from '../../../test/support/tls-cert.ts';
import { TransportManager } from './transport-manager.ts';
import { offeredSubprotocols } from './ws-transport.ts';
import { nextEvent as next, portOf } from './test-support.ts';

const REGISTER = 'REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK56sdasks\r\nContent-Length: 0\r\n\r\n';

function openClient(url: string, protocols: string[], options: { ca?: Buffer } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<{ text: string; binary: boolean }> {
  return new Promise((resolve) => ws.once('message', (data, isBinary) => resolve({ text: String(data), binary: isBinary })));
}

function closeClient(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    ws.once('close', () => resolve());
    ws.terminate();
  });
}

test('ws: a browser-like client with the sip subprotocol; text and binary messages; CRLF keep-alive', async () => {
  const a = await TransportManager.start({ listeners: [{ transport: 'ws', address: '127.0.0.1', port: 0 }] });
  const client = await openClient(`ws://127.0.0.1:${portOf(a, 'ws')}/`, ['sip']);
  try {
    assert.equal(client.protocol, 'sip');
    let got = next(a, 'message');
    client.send(REGISTER);
    const m = await got;
    assert.equal(m.data.toString(), REGISTER);
    assert.equal(m.source.transport, 'ws');
    assert.ok(m.source.connectionId);

    const reply = nextMessage(client);
    await a.send(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'), m.source);
    assert.deepEqual(await reply, { text: 'SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n', binary: false });

    const binaryReply = nextMessage(client);
    await a.send(Buffer.from([0x53, 0x49, 0x50, 0xff]), m.source);
    assert.equal((await binaryReply).binary, true);

    got = next(a, 'message');
    client.send(Buffer.from(REGISTER), { binary: true });
    assert.equal((await got).data.toString(), REGISTER);

    const pong = nextMessage(client);
    client.send('\r\n\r\n');
    assert.deepEqual(await pong, { text: '\r\n', binary: false });

    const closed = next(a, 'connectionClose');
    await closeClient(client);
    assert.equal((await closed).reason, 'remote');
    await assert.rejects(a.send(Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n'), m.source), { code: 'SIP_TRANSPORT_NO_ROUTE' });
  } finally {
    await closeClient(client);
    await a.close();
  }
});

test('ws: upgrades without the sip subprotocol are refused with 400; plain HTTP gets 426', async () => {
  const a = await TransportManager.start({ listeners: [{ transport: 'ws', address: '127.0.0.1', port: 0 }] });
  try {
    const port = portOf(a, 'ws');
    const errors: string[] = [];
    a.on('error', (e) => errors.push(e.error.message));
    await assert.rejects(openClient(`ws://127.0.0.1:${port}/`, []), /Unexpected server response: 400/);
    await assert.rejects(openClient(`ws://127.0.0.1:${port}/`, ['chat']), /Unexpected server response: 400/);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 426);
    assert.equal(errors.length, 2);
    assert.equal(a.connections().length, 0);
  } finally {
    await a.close();
  }
});

test('ws: a client connection towards a ws:// server; later requests reuse it', async () => {
  const server = await TransportManager.start({ listeners: [{ transport: 'ws', address: '127.0.0.1', port: 0 }] });
  const client = await TransportManager.start({ listeners: [] });
  try {
    const dest = { transport: 'ws' as const, address: '127.0.0.1', port: portOf(server, 'ws') };
    const got = next(server, 'message');
    await client.send(Buffer.from(REGISTER), dest);
    const m = await got;
    const back = next(client, 'message');
    await server.send(Buffer.from('SIP/2.0 200 OK\r\nl: 0\r\n\r\n'), m.source);
    const r = await back;
    assert.equal(r.source.connectionId, client.connections()[0]!.id);
    assert.ok(client.connections()[0]!.local.port > 0);
    await client.send(Buffer.from(REGISTER), dest);
    assert.equal(client.connections().length, 1);
    assert.equal(server.connections().length, 1);
  } finally {
    await Promise.all([server.close(), client.close()]);
  }
});

test('wss: over https with a test certificate, client and server side', async () => {
  const cert = testCertificate();
  const server = await TransportManager.start({ listeners: [{ transport: 'wss', address: '127.0.0.1', port: 0, cert: cert.certPath, key: cert.keyPath }] });
  const client = await TransportManager.start({ listeners: [], tlsClient: { ca: cert.cert } });
  const browser = await openClient(`wss://127.0.0.1:${portOf(server, 'wss')}/`, ['sip'], { ca: cert.cert });
  try {
    let got = next(server, 'message');
    browser.send(REGISTER);
    assert.equal((await got).source.transport, 'wss');
    got = next(server, 'message');
    await client.send(Buffer.from(REGISTER), { transport: 'wss', address: '127.0.0.1', port: portOf(server, 'wss'), serverName: 'localhost' });
    await got;
    assert.equal(server.connections().length, 2);
  } finally {
    await closeClient(browser);
    await Promise.all([server.close(), client.close()]);
  }
});

test('ws: a server that does not speak the sip subprotocol is refused by the client', async () => {
  const { WebSocketServer } = await import('ws');
  const plain = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => false });
  await new Promise<void>((resolve) => plain.once('listening', () => resolve()));
  const client = await TransportManager.start({ listeners: [], connectTimeoutMs: 1000 });
  try {
    const port = (plain.address() as { port: number }).port;
    await assert.rejects(client.send(Buffer.from(REGISTER), { transport: 'ws', address: '127.0.0.1', port }), { code: 'SIP_TRANSPORT_CONNECT' });
  } finally {
    await client.close();
    for (const c of plain.clients) c.terminate();
    await new Promise((resolve) => plain.close(resolve));
  }
});

test('offeredSubprotocols: comma-separated tokens', () => {
  assert.deepEqual(offeredSubprotocols(undefined), []);
  assert.deepEqual(offeredSubprotocols('sip'), ['sip']);
  assert.deepEqual(offeredSubprotocols(' chat , sip '), ['chat', 'sip']);
});
