/**
 * jambonz WebSocket applications (specs/jambonz.md §1) over real SIP calls from the test phone: an
 * `@jambonz/sdk` websocket app saying then hanging up, a `@jambonz/node-client-ws` app whose socket drops
 * mid-call and comes back with `session:reconnect`, and raw `ws` peers that send garbage text, binary
 * frames, or vanish for good: the call gets the documented outcome (`jambonz:error` on the socket and
 * the call goes on; BYE once the socket is gone) and the server keeps serving.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { createEndpoint as createSdkEndpoint } from '@jambonz/sdk/websocket';
import { TestPhone } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { sleep, until as waitUntil } from '../support/wait.ts';
import { silentLogger } from '../../src/lib/index.ts';
import { EspeakTtsProvider, TtsCache } from '../../src/speech/index.ts';
import { createSessionManager, makeRequestorFactory, validateVerbs, type JambonzApplication } from '../../src/api/jambonz/index.ts';
import { synthesizerFrom } from '../../src/api/jambonz/runtime/index.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

interface ClientWsSession extends EventEmitter {
  call_sid: string;
  ws: WebSocket;
  answer(): ClientWsSession;
  say(opts: Record<string, unknown>): ClientWsSession;
  pause(opts: Record<string, unknown>): ClientWsSession;
  hangup(): ClientWsSession;
  send(opts?: { execImmediate?: boolean }): void;
  reply(): void;
}
const { createEndpoint } = createRequire(import.meta.url)('@jambonz/node-client-ws') as {
  createEndpoint(opts: { server: HttpServer }): (opts: { path: string }) => EventEmitter;
};

describe('jambonz WebSocket apps over SIP: SDK apps, reconnect, bad peers', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let web: HttpServer;
  let sdkWeb: HttpServer;
  let rawWeb: HttpServer;
  let raw: WebSocketServer;
  let ttsDir = '';
  let manager: ReturnType<typeof createSessionManager>;
  const offs: (() => void)[] = [];
  const reconnects: ClientWsSession[] = [];
  const rawMessages: Record<string, unknown>[] = [];
  let onClientWs: (s: ClientWsSession) => void = () => {};
  let onRaw: (ws: WebSocket, msg: Record<string, unknown>) => void = () => {};

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
    web = createServer();
    const clientWs = createEndpoint({ server: web });
    const svc = clientWs({ path: '/client-ws' });
    svc.on('session:new', (s: ClientWsSession) => onClientWs(s));
    svc.on('session:reconnect', (s: ClientWsSession) => reconnects.push(s));
    sdkWeb = createServer();
    const sdk = createSdkEndpoint({ server: sdkWeb })({ path: '/sdk' });
    sdk.on('session:new', (s) => { s.say({ text: 'Hello from the SDK.' }).hangup().send(); });
    raw = new WebSocketServer({ noServer: true, handleProtocols: () => 'ws.jambonz.org' });
    raw.on('connection', (ws) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as Record<string, unknown>;
        rawMessages.push(msg);
        onRaw(ws, msg);
      });
    });
    rawWeb = createServer();
    rawWeb.on('upgrade', (req, socket, head) => {
      if (req.url === '/raw') raw.handleUpgrade(req, socket, head, (ws) => raw.emit('connection', ws, req));
    });
    const ports: Record<string, number> = {};
    for (const [name, s] of [['client-ws', web], ['sdk', sdkWeb], ['raw', rawWeb]] as const) {
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
      const addr = s.address();
      ports[name] = typeof addr === 'object' && addr ? addr.port : 0;
    }
    ttsDir = mkdtempSync(join(tmpdir(), 'sb-tts-'));
    manager = createSessionManager({
      sw: srv.server.sw, catalog: srv.server.jambonz.catalog, log: silentLogger(),
      requestorFactory: makeRequestorFactory({ retryDelay: () => 50, ackTimeoutMs: 1500 }), validate: validateVerbs,
      tts: synthesizerFrom(new TtsCache(new EspeakTtsProvider(), { dir: ttsDir })),
    });
    const account = srv.server.jambonz.account;
    for (const path of ['client-ws', 'sdk', 'raw']) {
      const app: JambonzApplication = { application_sid: `ws-${path}`, account_sid: account.account_sid, name: path, call_hook: `ws://127.0.0.1:${ports[path]}/${path}` };
      offs.push(srv.server.sw.router.register({ number: `jz-${path}`, priority: 1000 }, (channel) => manager.startInbound(channel, app, account)));
    }
  });

  after(async () => {
    for (const off of offs) off();
    await manager.close();
    await phone.close();
    await srv.close();
    for (const c of raw.clients) c.terminate();
    raw.close();
    for (const s of [web, sdkWeb, rawWeb]) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    rmSync(ttsDir, { recursive: true, force: true });
  });

  const idle = (): Promise<void> => waitIdle(srv.server, until);
  const current = () => manager.session([...srv.server.sw.channels()][0]?.uuid ?? '');

  test('an @jambonz/sdk websocket app says then hangs up: speech, then BYE', async () => {
    const r = await phone.call(srv.uri('jz-sdk'));
    assert.ok(r.ok, 'answered');
    await until('speech', () => r.call.receivedLevel() > 200);
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('the socket drops mid-call: the runtime reconnects with session:reconnect and the app carries on', async () => {
    reconnects.length = 0;
    let first: ClientWsSession | undefined;
    onClientWs = (s) => {
      first = s;
      s.answer().pause({ length: 30 }).send();
    };
    const r = await phone.call(srv.uri('jz-client-ws'));
    assert.ok(r.ok);
    await until('the pause', () => current()?.currentVerb === 'pause');
    first!.ws.terminate();
    await until('session:reconnect', () => reconnects.length === 1);
    const again = reconnects[0]!;
    assert.equal(again.call_sid, first!.call_sid, 'the same call');
    again.reply();
    assert.notEqual(r.call.dialog.state, 'terminated', 'the call survived the drop');
    assert.equal(current()?.currentVerb, 'pause', 'the running verb went on');
    const before = r.call.received.length;
    again.say({ text: 'Welcome back.' }).hangup().send();
    await until('speech after the reconnect', () => r.call.receivedLevel(before) > 200);
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('a peer sending garbage text and binary frames gets jambonz:error; the call goes on', async () => {
    rawMessages.length = 0;
    onRaw = (ws, msg) => {
      if (msg['type'] !== 'session:new') return;
      ws.send(JSON.stringify({ type: 'ack', msgid: msg['msgid'], data: [{ verb: 'answer' }, { verb: 'pause', length: 30 }] }));
      ws.send('this is {not json');
      ws.send(Buffer.from([0, 1, 2, 3, 255]), { binary: true });
    };
    const r = await phone.call(srv.uri('jz-raw'));
    assert.ok(r.ok);
    await until('two jambonz:error messages', () => rawMessages.filter((m) => m['type'] === 'jambonz:error').length >= 2);
    await sleep(200);
    assert.equal(current()?.currentVerb, 'pause', 'the call goes on');
    assert.notEqual(r.call.dialog.state, 'terminated');
    await r.call.hangup();
    await idle();
  });

  test('a peer that vanishes for good (reconnects refused): the call ends with BYE; the next call is served', async () => {
    rawMessages.length = 0;
    let vanished = false;
    onRaw = (ws, msg) => {
      if (msg['type'] === 'session:new') {
        ws.send(JSON.stringify({ type: 'ack', msgid: msg['msgid'], data: [{ verb: 'answer' }, { verb: 'pause', length: 30 }] }));
        setTimeout(() => { vanished = true; ws.terminate(); }, 200);
      }
    };
    const refuse = (req: { url?: string }, socket: { destroy(): void }): void => {
      if (vanished && req.url === '/raw') socket.destroy();
    };
    rawWeb.prependListener('upgrade', refuse);
    try {
      const r = await phone.call(srv.uri('jz-raw'));
      assert.ok(r.ok);
      await until('BYE after the socket is gone', () => r.call.dialog.state === 'terminated', 10_000);
      await idle();
    } finally {
      rawWeb.off('upgrade', refuse);
    }
    const next = await phone.call(srv.uri('jz-sdk'));
    assert.ok(next.ok, 'the server keeps serving');
    await until('BYE', () => next.call.dialog.state === 'terminated');
    await idle();
  });
});
