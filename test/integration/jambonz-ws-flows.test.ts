/**
 * jambonz WebSocket applications (specs/jambonz.md §1) over real SIP calls from the test phone: an
 * `@jambonz/sdk` websocket app saying then hanging up, a `@jambonz/node-client-ws` app whose socket drops
 * mid-call and comes back with `session:reconnect`, and raw `ws` peers that send garbage text, binary
 * frames, or vanish for good: the call gets the documented outcome (`jambonz:error` on the socket and
 * the call goes on; BYE once the socket is gone) and the server keeps serving.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { createEndpoint as createSdkEndpoint } from '@jambonz/sdk/websocket';
import type { TestPhone } from '../support/test-phone.ts';
import { sleep } from '../support/wait.ts';
import { startJambonz, until, type JambonzFixture, type WsSession } from '../support/jambonz-fixture.ts';
import { EspeakTtsProvider, TtsCache } from '../../src/speech/index.ts';
import { makeRequestorFactory } from '../../src/api/jambonz/index.ts';
import { synthesizerFrom } from '../../src/api/jambonz/runtime/index.ts';

/** A `@jambonz/node-client-ws` session and its socket. */
interface ClientWsSession extends WsSession {
  ws: WebSocket;
}

describe('jambonz WebSocket apps over SIP: SDK apps, reconnect, bad peers', () => {
  let fx: JambonzFixture;
  let phone: TestPhone;
  let sdkWeb: HttpServer;
  let rawWeb: HttpServer;
  let raw: WebSocketServer;
  let ttsDir = '';
  const reconnects: ClientWsSession[] = [];
  const rawMessages: Record<string, unknown>[] = [];
  let onClientWs: (s: ClientWsSession) => void = () => {};
  let onRaw: (ws: WebSocket, msg: Record<string, unknown>) => void = () => {};

  before(async () => {
    ttsDir = mkdtempSync(join(tmpdir(), 'sb-tts-'));
    fx = await startJambonz({
      manager: {
        requestorFactory: makeRequestorFactory({ retryDelay: () => 50, ackTimeoutMs: 1500 }),
        tts: synthesizerFrom(new TtsCache(new EspeakTtsProvider(), { dir: ttsDir })),
      },
    });
    phone = await fx.phone();
    const clientWsUrl = fx.ws('/client-ws', (s) => onClientWs(s as ClientWsSession), (s) => reconnects.push(s as ClientWsSession));
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
    const urls: Record<string, string> = { 'client-ws': clientWsUrl };
    for (const [name, s] of [['sdk', sdkWeb], ['raw', rawWeb]] as const) {
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
      const addr = s.address();
      urls[name] = `ws://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/${name}`;
    }
    for (const path of ['client-ws', 'sdk', 'raw']) {
      fx.route(`jz-${path}`, { application_sid: `ws-${path}`, name: path, call_hook: urls[path]! });
    }
  });

  after(async () => {
    await fx.close();
    for (const c of raw.clients) c.terminate();
    raw.close();
    for (const s of [sdkWeb, rawWeb]) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    rmSync(ttsDir, { recursive: true, force: true });
  });

  const idle = (): Promise<void> => fx.idle();
  const current = () => fx.manager.session([...fx.srv.server.sw.channels()][0]?.uuid ?? '');

  test('an @jambonz/sdk websocket app says then hangs up: speech, then BYE', async () => {
    const r = await phone.call(fx.srv.uri('jz-sdk'));
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
    const r = await phone.call(fx.srv.uri('jz-client-ws'));
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
    const r = await phone.call(fx.srv.uri('jz-raw'));
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
      const r = await phone.call(fx.srv.uri('jz-raw'));
      assert.ok(r.ok);
      await until('BYE after the socket is gone', () => r.call.dialog.state === 'terminated', 10_000);
      await idle();
    } finally {
      rawWeb.off('upgrade', refuse);
    }
    const next = await phone.call(fx.srv.uri('jz-sdk'));
    assert.ok(next.ok, 'the server keeps serving');
    await until('BYE', () => next.call.dialog.state === 'terminated');
    await idle();
  });
});
