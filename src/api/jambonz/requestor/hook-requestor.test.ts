import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { freePort } from '../../../../test/support/ports.ts';
import type { AppCommand, JambonzAccount } from '../contract.ts';
import { RequestorError, createRequestor } from './index.ts';

const account: JambonzAccount = { account_sid: 'a', name: 'default', webhook_secret: 's' };
let server: Server;
let wss: WebSocketServer;
let port = 0;
const httpHits: string[] = [];
const wsTypes: string[] = [];
let keepAlive: NodeJS.Timeout | undefined;

before(async () => {
  keepAlive = setInterval(() => {}, 1000);
  port = await freePort();
  server = createServer((req, res) => {
    httpHits.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ verb: 'say', text: `http ${req.url}` }]));
    });
  });
  wss = new WebSocketServer({ server, handleProtocols: () => 'ws.jambonz.org' });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; msgid: string; hook?: string };
      wsTypes.push(m.type);
      if (m.type === 'verb:hook' || m.type === 'session:new') {
        ws.send(JSON.stringify({ type: 'ack', msgid: m.msgid, data: [{ verb: 'say', text: `ws ${m.hook ?? m.type}` }] }));
        ws.send(JSON.stringify({ type: 'command', command: 'tag', data: { x: 1 } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
});

after(async () => {
  clearInterval(keepAlive);
  for (const c of wss.clients) c.terminate();
  wss.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('transport switching (handover)', () => {
  it('a webhook app whose hook names ws:// moves to the WebSocket; commands are forwarded', async () => {
    const r = createRequestor(`http://127.0.0.1:${port}/app`, { account, callSid: 'c1' });
    const commands: AppCommand[] = [];
    r.on('command', (c) => commands.push(c));
    assert.equal(r.transport, 'http');
    assert.deepEqual(await r.request('session:new', `http://127.0.0.1:${port}/app`, {}), [{ verb: 'say', text: 'http /app' }]);
    const viaWs = await r.request('verb:hook', `ws://127.0.0.1:${port}/ws-app`, { reason: 'x' });
    assert.equal(r.transport, 'ws');
    assert.deepEqual(viaWs, [{ verb: 'say', text: `ws ws://127.0.0.1:${port}/ws-app` }]);
    // relative hooks now go over the socket
    assert.deepEqual(await r.request('verb:hook', '/next', {}), [{ verb: 'say', text: 'ws /next' }]);
    for (let i = 0; i < 100 && commands.length < 2; i++) await new Promise((res) => setTimeout(res, 5));
    assert.equal(commands[0]?.command, 'tag');
    await r.close();
  });

  it('a WebSocket app whose hook names http:// sends that request as a webhook', async () => {
    const r = createRequestor(`ws://127.0.0.1:${port}/ws-app`, { account, callSid: 'c2' });
    assert.equal(r.transport, 'ws');
    await r.request('session:new', `ws://127.0.0.1:${port}/ws-app`, {});
    const reply = await r.request('verb:hook', `http://127.0.0.1:${port}/handover`, {});
    assert.deepEqual(reply, [{ verb: 'say', text: 'http /handover' }]);
    assert.equal(r.transport, 'http');
    assert.ok(httpHits.includes('/handover'));
    await r.close();
    await r.close();
  });

  it('an unusable call hook throws JAMBONZ_HOOK_URL from the factory', () => {
    assert.throws(
      () => createRequestor('/relative', { account, callSid: 'c3' }),
      (e: unknown) => e instanceof RequestorError && e.code === 'JAMBONZ_HOOK_URL',
    );
    assert.throws(
      () => createRequestor('ftp://x/y', { account, callSid: 'c3' }),
      (e: unknown) => e instanceof RequestorError && e.code === 'JAMBONZ_HOOK_URL',
    );
    const r = createRequestor('/relative', { account, callSid: 'c4', baseUrl: `http://127.0.0.1:${port}` });
    assert.equal(r.transport, 'http');
  });
});
