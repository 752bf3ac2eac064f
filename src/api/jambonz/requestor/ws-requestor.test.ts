import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { freePort } from '../../../../test/support/ports.ts';
import { VirtualClock } from '../../../lib/index.ts';
import type { AppCommand, JambonzAccount, Requestor } from '../contract.ts';
import { DEFAULT_ACK_TIMEOUT_MS, RequestorError, makeRequestorFactory } from './index.ts';

const account: JambonzAccount = { account_sid: 'acc-1', name: 'default', webhook_secret: 's' };

interface Msg {
  type: string;
  msgid: string;
  call_sid: string;
  hook?: string;
  data: Record<string, unknown>;
}

/** A scripted application server: records every message and connection. */
class App {
  readonly wss: WebSocketServer;
  readonly sockets: WebSocket[] = [];
  readonly upgrades: IncomingMessage[] = [];
  readonly messages: Msg[] = [];
  onMessage: (m: Msg, ws: WebSocket) => void = () => {};

  constructor(readonly port: number) {
    this.wss = new WebSocketServer({
      port,
      host: '127.0.0.1',
      handleProtocols: (protocols) => (protocols.has('ws.jambonz.org') ? 'ws.jambonz.org' : false),
    });
    this.wss.on('connection', (ws, req) => {
      this.sockets.push(ws);
      this.upgrades.push(req);
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as Msg;
        this.messages.push(m);
        this.onMessage(m, ws);
      });
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/app`;
  }

  async waitFor(pred: (m: Msg) => boolean, ms = 3000): Promise<Msg> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = this.messages.find(pred);
      if (m) return m;
      if (Date.now() > deadline) throw new Error('message not received in time');
      await sleep(5);
    }
  }

  close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function ack(ws: WebSocket, msgid: string, data?: unknown): void {
  ws.send(JSON.stringify(data === undefined ? { type: 'ack', msgid } : { type: 'ack', msgid, data }));
}

function isCode(code: string) {
  return (e: unknown) => e instanceof RequestorError && e.code === code;
}

const cleanup: (() => Promise<void>)[] = [];
// The system clock's timers are unref'd (a server keeps the loop alive); here a test timer does.
let keepAlive: NodeJS.Timeout | undefined;
beforeEach(() => {
  keepAlive = setInterval(() => {}, 1000);
});
afterEach(async () => {
  clearInterval(keepAlive);
  for (const fn of cleanup.splice(0)) await fn();
});

async function setup(options: Parameters<typeof makeRequestorFactory>[0] = {}, hookSuffix = ''): Promise<{ app: App; r: Requestor }> {
  const app = new App(await freePort());
  const factory = makeRequestorFactory({ retryDelay: () => 20, ...options });
  const hook = { url: app.url + hookSuffix, username: 'u', password: 'p' };
  const r = factory(hook, { account, callSid: 'call-1' });
  cleanup.push(async () => {
    await r.close();
    await app.close();
  });
  return { app, r };
}

const sessionData = { callSid: 'call-1', direction: 'inbound', sipStatus: 100, env_vars: { myKey: 1 } };

describe('websocket requestor', () => {
  it('session:new with subprotocol, auth and envelope resolves with the ack data', async () => {
    const { app, r } = await setup();
    assert.equal(r.transport, 'ws');
    app.onMessage = (m, ws) => ack(ws, m.msgid, [{ verb: 'say', text: 'hi' }]);
    const verbs = await r.request('session:new', app.url, sessionData);
    assert.deepEqual(verbs, [{ verb: 'say', text: 'hi' }]);
    const m = app.messages[0]!;
    assert.equal(m.type, 'session:new');
    assert.equal(m.call_sid, 'call-1');
    assert.equal(typeof m.msgid, 'string');
    assert.equal('hook' in m, false);
    assert.deepEqual(m.data, { call_sid: 'call-1', direction: 'inbound', sip_status: 100, env_vars: { myKey: 1 } });
    assert.equal(app.sockets[0]!.protocol, 'ws.jambonz.org');
    assert.equal(app.upgrades[0]!.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('verb:hook carries the hook; an ack without data resolves undefined; notifications need no ack', async () => {
    const { app, r } = await setup();
    app.onMessage = (m, ws) => {
      if (m.type === 'session:new') ack(ws, m.msgid, [{ verb: 'pause', length: 1 }]);
      if (m.type === 'verb:hook') ack(ws, m.msgid);
    };
    await r.request('session:new', app.url, sessionData);
    assert.equal(await r.request('verb:hook', '/gather-done', { reason: 'dtmfDetected', digits: '1' }), undefined);
    const hook = await app.waitFor((m) => m.type === 'verb:hook');
    assert.equal(hook.hook, '/gather-done');
    assert.deepEqual(hook.data, { reason: 'dtmfDetected', digits: '1' });
    r.notify('call:status', undefined, { callStatus: 'in-progress' });
    r.notify('verb:status', undefined, { event: 'starting', id: 'v1', name: 'say' });
    const st = await app.waitFor((m) => m.type === 'call:status');
    assert.deepEqual(st.data, { call_status: 'in-progress' });
    await app.waitFor((m) => m.type === 'verb:status');
  });

  it('the ack timeout is 5 s on the injected clock', async () => {
    const clock = new VirtualClock();
    const { app, r } = await setup({ clock });
    let settled: string | undefined;
    const p = r.request('session:new', app.url, sessionData).then(
      () => (settled = 'resolved'),
      (e: unknown) => (settled = e instanceof RequestorError ? e.code : 'other'),
    );
    await app.waitFor((m) => m.type === 'session:new');
    assert.equal(DEFAULT_ACK_TIMEOUT_MS, 5000);
    clock.advance(4999);
    await sleep(20);
    assert.equal(settled, undefined);
    clock.advance(1);
    await p;
    assert.equal(settled, 'JAMBONZ_HOOK_TIMEOUT');
  });

  it('commands become events; invalid and binary frames are answered with jambonz:error', async () => {
    const { app, r } = await setup();
    const commands: AppCommand[] = [];
    r.on('command', (c) => commands.push(c));
    app.onMessage = (m, ws) => {
      if (m.type !== 'session:new') return;
      ack(ws, m.msgid, []);
      ws.send('this is not json');
      ws.send(Buffer.from([1, 2, 3]), { binary: true });
      ws.send(JSON.stringify({ type: 'ack', msgid: 'nobody-waits-for-this' }));
      ws.send(JSON.stringify({ type: 'command', command: 'redirect', queueCommand: true, data: [{ verb: 'hangup' }] }));
      ws.send(JSON.stringify({ type: 'command', command: 'dtmf', callSid: 'leg-b', data: { digit: '1', duration: 250 } }));
    };
    await r.request('session:new', app.url, sessionData);
    const errors: Msg[] = [];
    for (let i = 0; i < 300 && (commands.length < 2 || errors.length < 2); i++) {
      await sleep(5);
      errors.splice(0, errors.length, ...app.messages.filter((m) => m.type === 'jambonz:error'));
    }
    assert.equal(commands.length, 2);
    assert.deepEqual(
      commands.map((c) => [c.command, c.queueCommand, c.callSid]),
      [
        ['redirect', true, undefined],
        ['dtmf', false, 'leg-b'],
      ],
    );
    assert.deepEqual(commands[0]!.data, [{ verb: 'hangup' }]);
    assert.equal(errors.length, 2);
    assert.equal(errors[0]!.data['msg'], 'InvalidMessage');
    assert.equal(errors[0]!.data['content'], 'this is not json');
    assert.match(String(errors[1]!.data['details']), /binary/);
  });

  it('reconnects after an unexpected close: session:reconnect first, other messages queued until acked', async () => {
    const { app, r } = await setup();
    let reconnectAcked = false;
    app.onMessage = (m, ws) => {
      if (m.type === 'session:new') {
        ack(ws, m.msgid, [{ verb: 'pause', length: 5 }]);
        setTimeout(() => ws.terminate(), 20);
      }
      if (m.type === 'session:reconnect') {
        setTimeout(() => {
          reconnectAcked = true;
          ack(ws, m.msgid);
        }, 100);
      }
      if (m.type === 'verb:hook') {
        assert.equal(reconnectAcked, true, 'verb:hook only after the reconnect ack');
        ack(ws, m.msgid, [{ verb: 'hangup' }]);
      }
    };
    await r.request('session:new', app.url, sessionData);
    // wait for the new connection: the reconnect ack is still 100 ms away
    for (let i = 0; i < 200 && app.sockets.length < 2; i++) await sleep(5);
    const hookReply = r.request('verb:hook', '/after', { reason: 'x' });
    r.notify('call:status', undefined, { callStatus: 'in-progress' });
    assert.deepEqual(await hookReply, [{ verb: 'hangup' }]);
    const types = app.messages.map((m) => m.type);
    assert.deepEqual(types.slice(0, 2), ['session:new', 'session:reconnect']);
    assert.deepEqual(types.slice(2).sort(), ['call:status', 'verb:hook']);
    const rec = app.messages[1]!;
    assert.deepEqual(rec.data, app.messages[0]!.data, 'session:reconnect carries the session:new data');
    assert.equal(app.sockets.length, 2);
  });

  it('messages queued during a reconnect survive a second drop', async () => {
    const { app, r } = await setup();
    let reconnects = 0;
    app.onMessage = (m, ws) => {
      if (m.type === 'session:new') {
        ack(ws, m.msgid, []);
        setTimeout(() => ws.terminate(), 10);
      }
      if (m.type === 'session:reconnect') {
        reconnects++;
        if (reconnects === 1) setTimeout(() => ws.terminate(), 50);
        else ack(ws, m.msgid);
      }
      if (m.type === 'verb:hook') ack(ws, m.msgid, [{ verb: 'hangup' }]);
    };
    await r.request('session:new', app.url, sessionData);
    for (let i = 0; i < 200 && app.sockets.length < 2; i++) await sleep(5);
    const reply = r.request('verb:hook', '/queued', {});
    assert.deepEqual(await reply, [{ verb: 'hangup' }]);
    assert.equal(reconnects, 2);
    assert.deepEqual(
      app.messages.map((m) => m.type),
      ['session:new', 'session:reconnect', 'session:reconnect', 'verb:hook'],
    );
  });

  it('an unacked session:new is answered by the reconnect ack', async () => {
    const { app, r } = await setup();
    app.onMessage = (m, ws) => {
      if (m.type === 'session:new') ws.terminate();
      if (m.type === 'session:reconnect') ack(ws, m.msgid, [{ verb: 'say', text: 'again' }]);
    };
    assert.deepEqual(await r.request('session:new', app.url, sessionData), [{ verb: 'say', text: 'again' }]);
  });

  it('a close with 1000 by the app ends the session without reconnecting', async () => {
    const { app, r } = await setup();
    const closed: { code: number; reason: string }[] = [];
    r.on('closed', (c) => closed.push(c));
    app.onMessage = (m, ws) => {
      ack(ws, m.msgid, [{ verb: 'pause', length: 1 }]);
      setTimeout(() => ws.close(1000, 'bye'), 10);
    };
    await r.request('session:new', app.url, sessionData);
    for (let i = 0; i < 200 && closed.length === 0; i++) await sleep(5);
    assert.deepEqual(closed, [{ code: 1000, reason: 'bye' }]);
    await assert.rejects(r.request('verb:hook', '/x', {}), isCode('JAMBONZ_HOOK_CLOSED'));
    r.notify('call:status', undefined, {});
    await sleep(100);
    assert.equal(app.sockets.length, 1);
  });

  it('gives up after the reconnect budget and emits closed', async () => {
    const { app, r } = await setup({}, '#rc=2');
    const closed: { code: number; reason: string }[] = [];
    r.on('closed', (c) => closed.push(c));
    app.onMessage = (m, ws) => {
      ack(ws, m.msgid, []);
      setTimeout(() => void app.close(), 10);
    };
    await r.request('session:new', app.url, sessionData);
    for (let i = 0; i < 400 && closed.length === 0; i++) await sleep(5);
    assert.equal(closed.length, 1);
    await assert.rejects(r.request('verb:hook', '/x', {}), isCode('JAMBONZ_HOOK_CLOSED'));
  });

  it('a failed initial connect is retried per #rc, then rejects and emits closed', async () => {
    const dead = await freePort();
    let delays = 0;
    const factory = makeRequestorFactory({ retryDelay: () => (delays++, 5) });
    const r = factory(`ws://127.0.0.1:${dead}/x#rc=3`, { account, callSid: 'c' });
    const closed: unknown[] = [];
    r.on('closed', (c) => closed.push(c));
    await assert.rejects(r.request('session:new', `ws://127.0.0.1:${dead}/x`, {}), isCode('JAMBONZ_HOOK_CONNECT'));
    assert.equal(delays, 3);
    assert.equal(closed.length, 1);
    await r.close();
  });

  it('frames above the configured maximum are refused; the default takes far more than 24 KiB', async () => {
    const big = [{ verb: 'say', text: 'x'.repeat(100_000) }];
    {
      const { app, r } = await setup();
      app.onMessage = (m, ws) => ack(ws, m.msgid, big);
      assert.deepEqual(await r.request('session:new', app.url, sessionData), big);
    }
    const { app, r } = await setup({ maxFrameBytes: 8 * 1024 }, '#rc=0');
    app.onMessage = (m, ws) => {
      if (m.type === 'session:new') ack(ws, m.msgid, []);
      if (m.type === 'verb:hook') ack(ws, m.msgid, big);
    };
    await r.request('session:new', app.url, sessionData);
    await assert.rejects(r.request('verb:hook', '/big', {}), isCode('JAMBONZ_WS_FRAME_TOO_LARGE'));
  });

  it('close() sends 1000 and rejects what is pending; idempotent', async () => {
    const { app, r } = await setup();
    const codes: number[] = [];
    app.wss.on('connection', (ws) => ws.on('close', (code) => codes.push(code)));
    const p = r.request('session:new', app.url, sessionData);
    await app.waitFor((m) => m.type === 'session:new');
    const rejected = assert.rejects(p, isCode('JAMBONZ_HOOK_CLOSED'));
    await r.close();
    await r.close();
    await rejected;
    for (let i = 0; i < 100 && codes.length === 0; i++) await sleep(5);
    assert.deepEqual(codes, [1000]);
  });
});
