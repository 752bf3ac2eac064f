/**
 * gather with speech input over a real SIP call: the far end's audio is tapped from the call's media
 * and streamed to a speech-to-text server speaking the jambonz "custom" vendor protocol (here a small
 * local one that answers a final transcript once it has heard half a second of audio); the gather
 * actionHook gets `reason: speechDetected` and the `speech` object. Without a recognizer the same
 * gather ends at once with `reason: error`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { TestPhone } from '../support/test-phone.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { silentLogger } from '../../src/lib/index.ts';
import { CustomSttProvider } from '../../src/speech/index.ts';
import { createSessionManager, makeRequestorFactory, recognizerFrom, validateVerbs, type JambonzApplication } from '../../src/api/jambonz/index.ts';
import { readBody } from '../support/http-body.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

describe('jambonz gather with speech through the audio tap and a custom-vendor STT server', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let web: HttpServer;
  let stt: WebSocketServer;
  let base = '';
  let sttUrl = '';
  const hooks: Record<string, unknown>[] = [];
  const starts: Record<string, unknown>[] = [];
  const offs: (() => void)[] = [];
  const managers: ReturnType<typeof createSessionManager>[] = [];
  let provider: CustomSttProvider;

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
    web = createServer((req, res) => {
      void readBody(req).then((text) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (req.url === '/call') {
          res.end(JSON.stringify([{ verb: 'answer' }, { verb: 'gather', input: ['speech'], actionHook: '/speech', timeout: 5 }]));
          return;
        }
        if (req.url === '/speech') hooks.push(JSON.parse(text) as Record<string, unknown>);
        res.end(JSON.stringify(req.url === '/speech' ? [{ verb: 'hangup' }] : []));
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(web.address() as { port: number }).port}`;
    stt = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    stt.on('connection', (ws) => {
      let bytes = 0;
      let answered = false;
      ws.on('message', (data, isBinary) => {
        if (!isBinary) {
          const m = JSON.parse(data.toString()) as Record<string, unknown>;
          if (m['type'] === 'start') starts.push(m);
          if (m['type'] === 'stop') ws.close();
          return;
        }
        bytes += (data as Buffer).length;
        if (!answered && bytes >= 16_000) {
          answered = true;
          ws.send(JSON.stringify({ type: 'transcription', is_final: true, alternatives: [{ transcript: 'book a table', confidence: 0.92 }] }));
        }
      });
    });
    await new Promise<void>((resolve) => stt.once('listening', () => resolve()));
    sttUrl = `ws://127.0.0.1:${(stt.address() as { port: number }).port}/stt`;
    provider = new CustomSttProvider({ url: sttUrl });
    const account = srv.server.jambonz.account;
    for (const [number, withStt] of [['jz-speech', true], ['jz-nostt', false]] as const) {
      const manager = createSessionManager({
        sw: srv.server.sw, catalog: srv.server.jambonz.catalog, log: silentLogger(), requestorFactory: makeRequestorFactory(), validate: validateVerbs,
        ...(withStt ? { stt: recognizerFrom(provider) } : {}),
      });
      managers.push(manager);
      const app: JambonzApplication = { application_sid: `speech-${number}`, account_sid: account.account_sid, name: number, call_hook: `${base}/call` };
      offs.push(srv.server.sw.router.register({ number, priority: 1000 }, (channel) => manager.startInbound(channel, app, account)));
    }
  });

  after(async () => {
    for (const off of offs) off();
    for (const m of managers) await m.close();
    await provider.close();
    await phone.close();
    await srv.close();
    for (const c of stt.clients) c.terminate();
    await new Promise<void>((resolve) => stt.close(() => resolve()));
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
  });

  test('the caller speaks: the STT server gets 16 kHz audio and the actionHook gets speechDetected', async () => {
    hooks.length = 0;
    const r = await phone.call(srv.uri('jz-speech'));
    assert.ok(r.ok);
    await until('the recognizer to start', () => starts.length === 1);
    assert.equal(starts[0]!['sampleRateHz'], 16000);
    assert.equal(starts[0]!['encoding'], 'LINEAR16');
    await r.call.sendTone(300, 1200);
    await until('the speech actionHook', () => hooks.length === 1);
    assert.equal(hooks[0]!['reason'], 'speechDetected');
    const speech = hooks[0]!['speech'] as { is_final: boolean; alternatives: { transcript: string }[] };
    assert.equal(speech.is_final, true);
    assert.equal(speech.alternatives[0]!.transcript, 'book a table');
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await waitIdle(srv.server, until);
  });

  test('no recognizer configured: the gather ends at once with reason error', async () => {
    hooks.length = 0;
    const r = await phone.call(srv.uri('jz-nostt'));
    assert.ok(r.ok);
    await until('the speech actionHook', () => hooks.length === 1, 3000);
    assert.equal(hooks[0]!['reason'], 'error');
    assert.match(String(hooks[0]!['details'] ?? ''), /no speech recognizer/);
    await until('BYE', () => r.call.dialog.state === 'terminated');
    await waitIdle(srv.server, until);
  });
});
