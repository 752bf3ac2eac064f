/**
 * listen sockets that misbehave, over real SIP calls (specs/jambonz.md §3.C "End"): a URL that refuses
 * the upgrade, a peer that sends garbage text frames, binary frames outside streaming mode and broken
 * playAudio content and then vanishes without a close frame, and a peer that floods streamed audio far
 * faster than real time. Each time the listen verb ends (or goes on) as documented, its actionHook runs,
 * the app's next verb runs, and the server keeps serving.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { TestPhone } from '../support/test-phone.ts';
import { decodeReceived, sendPacedTone } from '../support/phone-audio.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { dominantFrequency } from '../support/wav-analysis.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

describe('jambonz listen: sockets that refuse, send garbage, vanish or flood', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let web: HttpServer;
  let sockHttp: HttpServer;
  let base = '';
  let wsBase = '';
  const NUMBER = '5550311';
  let app: unknown[] = [];
  const hits: { path: string; body: Record<string, unknown> }[] = [];
  let onSocket: (ws: WebSocket, path: string) => void = () => {};

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
    web = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.on('data', (c: Buffer) => { text += c.toString('utf8'); });
      req.on('end', () => {
        hits.push({ path: req.url ?? '/', body: JSON.parse(text || '{}') as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(req.url === '/call' ? app : []));
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const addr = web.address();
    base = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
    sockHttp = createServer((_req, res) => { res.writeHead(404); res.end(); });
    const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('audio.jambonz.org') ? 'audio.jambonz.org' : false) });
    sockHttp.on('upgrade', (req, socket, head) => {
      if (req.url === '/refuse') {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws, req.url ?? '/'));
    });
    await new Promise<void>((resolve) => sockHttp.listen(0, '127.0.0.1', resolve));
    const saddr = sockHttp.address();
    wsBase = typeof saddr === 'object' && saddr ? `ws://127.0.0.1:${saddr.port}` : '';
    const j = srv.server.jambonz;
    const res = await fetch(`${j.baseUrl}/v1/Applications`, {
      method: 'POST', headers: { authorization: `Bearer ${j.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bad-listen', account_sid: j.account.account_sid, call_hook: { url: `${base}/call`, method: 'POST' } }),
    });
    const sid = ((await res.json()) as { sid: string }).sid;
    await fetch(`${j.baseUrl}/v1/PhoneNumbers`, {
      method: 'POST', headers: { authorization: `Bearer ${j.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ number: NUMBER, application_sid: sid, account_sid: j.account.account_sid }),
    });
  });

  after(async () => {
    await phone.close();
    await srv.close();
    web.closeAllConnections();
    sockHttp.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
    await new Promise<void>((resolve) => sockHttp.close(() => resolve()));
  });

  const hook = (path: string): Record<string, unknown> | undefined => hits.find((h) => h.path === path)?.body;
  const idle = (): Promise<void> => waitIdle(srv.server, until);

  test('an upgrade refused: the verb ends at once, the actionHook runs and the next verb plays', async () => {
    hits.length = 0;
    app = [
      { verb: 'listen', url: `${wsBase}/refuse`, actionHook: '/after' },
      { verb: 'play', url: 'tone_stream://%(400,0,900)' },
      { verb: 'hangup' },
    ];
    const r = await phone.call(srv.uri(NUMBER));
    assert.ok(r.ok, 'answered');
    await until('the actionHook', () => hook('/after') !== undefined, 3000);
    await until('BYE after the play', () => r.call.dialog.state === 'terminated');
    assert.equal(dominantFrequency(decodeReceived(r.call.received, 3, 18), 8000), 900, 'the next verb played');
    await idle();
  });

  test('garbage frames are ignored; a peer that vanishes without a close frame ends the verb, the app goes on', async () => {
    hits.length = 0;
    app = [{ verb: 'listen', url: `${wsBase}/garbage`, actionHook: '/after' }, { verb: 'hangup' }];
    let peer: WebSocket | undefined;
    let firstFrame: unknown;
    let audioBytes = 0;
    onSocket = (ws) => {
      peer = ws;
      ws.on('message', (data, isBinary) => {
        if (!isBinary && firstFrame === undefined) firstFrame = JSON.parse(String(data));
        else if (isBinary) audioBytes += (data as Buffer).length;
      });
    };
    const r = await phone.call(srv.uri(NUMBER));
    assert.ok(r.ok);
    await until('the socket', () => peer !== undefined && firstFrame !== undefined);
    assert.equal(peer!.protocol, 'audio.jambonz.org', 'the documented subprotocol name is offered too');
    for (const frame of ['not json', '{"type":"nope"}', '[1,2]', '{"type":"playAudio","data":{"audioContent":"!!","audioContentType":"wav"}}',
      '{"type":"playAudio","data":{"audioContentType":"raw"}}', '{"type":"mark"}', 'null']) peer!.send(frame);
    peer!.send(Buffer.alloc(321, 7));
    await sendPacedTone(r.call, 600, { ms: 400 });
    assert.equal(r.call.dialog.state, 'confirmed', 'the call goes on');
    assert.ok(audioBytes > 3000, 'audio still flows to the socket');
    assert.equal(hook('/after'), undefined, 'the verb still runs');
    peer!.terminate();
    await until('the actionHook', () => hook('/after') !== undefined, 3000);
    await until('BYE from the next verb', () => r.call.dialog.state === 'terminated');
    await idle();
  });

  test('streamed audio far faster than real time is dropped beyond a bounded buffer; the call stays healthy', async () => {
    hits.length = 0;
    app = [{ verb: 'listen', url: `${wsBase}/flood`, bidirectionalAudio: { enabled: true, streaming: true, sampleRate: 8000 }, actionHook: '/after' }, { verb: 'hangup' }];
    let peer: WebSocket | undefined;
    const marks: unknown[] = [];
    onSocket = (ws) => {
      peer = ws;
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        const m = JSON.parse(String(data)) as { type?: string; data?: unknown };
        if (m.type === 'mark') marks.push(m.data);
      });
    };
    const r = await phone.call(srv.uri(NUMBER));
    assert.ok(r.ok);
    await until('the socket', () => peer !== undefined);
    // 60 s of 8 kHz audio at once (in 20 ms frames), then a mark: without a bound it would play out in a minute.
    const frame = Buffer.alloc(320, 1);
    for (let i = 0; i < 3000; i++) peer!.send(frame);
    const sent = Date.now();
    peer!.send(JSON.stringify({ type: 'mark', data: { name: 'after-flood' } }));
    await until('the mark played out', () => marks.length === 1, 9000);
    const waited = Date.now() - sent;
    assert.ok(waited < 7000, `the mark came after ${waited} ms, within the bounded buffer`);
    assert.deepEqual(marks[0], { name: 'after-flood', event: 'playout' });
    peer!.send(JSON.stringify({ type: 'disconnect' }));
    await until('the actionHook', () => hook('/after') !== undefined);
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await idle();
  });
});
