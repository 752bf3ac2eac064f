/**
 * `transcribe_status` (REST, specs/jambonz.md §2.6) and `transcribe:status` (command, §1.6) over a real
 * SIP call transcribed through a local speech-to-text server speaking the jambonz "custom" vendor
 * protocol (a final result per 0.5 s of audio): pause closes the recognition stream (what the caller
 * says meanwhile is not transcribed), resume opens a new one (transcripts again), stop ends the
 * `transcribe` verb and the app goes on with its next verb. Without a running transcription: 422.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { TestPhone } from '../support/test-phone.ts';
import { sendPacedTone } from '../support/phone-audio.ts';
import { startTestServer, waitIdle, type TestServer } from '../support/test-server.ts';
import { until as waitUntil } from '../support/wait.ts';
import { silentLogger } from '../../src/lib/index.ts';
import { CustomSttProvider } from '../../src/speech/index.ts';
import { createSessionManager, makeRequestorFactory, recognizerFrom, validateVerbs, type JambonzApplication } from '../../src/api/jambonz/index.ts';
import { readBody } from '../support/http-body.ts';

const until = (what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> => waitUntil(what, check, ms, 20);

describe('jambonz transcribe_status on a running transcription', () => {
  let srv: TestServer;
  let phone: TestPhone;
  let web: HttpServer;
  let stt: WebSocketServer;
  let provider: CustomSttProvider;
  let manager: ReturnType<typeof createSessionManager>;
  let unroute: () => void = () => {};
  const transcripts: string[] = [];
  const requested: string[] = [];
  const callSids: string[] = [];
  const events = { starts: 0, closes: 0 };

  before(async () => {
    srv = await startTestServer();
    phone = await TestPhone.start();
    web = createServer((req, res) => {
      void readBody(req).then((text) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const url = req.url ?? '';
        requested.push(url);
        const body = text ? JSON.parse(text) as Record<string, unknown> : {};
        if (url === '/t') {
          transcripts.push((body['speech'] as { alternatives: { transcript: string }[] }).alternatives[0]!.transcript);
          res.end('[]');
          return;
        }
        if (url === '/call') callSids.push(String(body['call_sid']));
        res.end(JSON.stringify(url === '/call' ? [
          { verb: 'answer' },
          { verb: 'transcribe', transcriptionHook: '/t', recognizer: { vendor: 'custom' } },
          { verb: 'redirect', actionHook: '/after' },
        ] : [{ verb: 'pause', length: 10 }]));
      });
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(web.address() as { port: number }).port}`;
    stt = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    stt.on('connection', (ws) => {
      let bytes = 0;
      let count = 0;
      ws.on('close', () => { events.closes += 1; });
      ws.on('message', (data, isBinary) => {
        if (!isBinary) {
          const m = JSON.parse(data.toString()) as Record<string, unknown>;
          if (m['type'] === 'start') events.starts += 1;
          if (m['type'] === 'stop') ws.close();
          return;
        }
        bytes += (data as Buffer).length;
        if (bytes >= 16_000) {
          bytes = 0;
          count += 1;
          ws.send(JSON.stringify({ type: 'transcription', is_final: true, alternatives: [{ transcript: `stream ${events.starts} utterance ${count}`, confidence: 0.9 }] }));
        }
      });
    });
    await new Promise<void>((resolve) => stt.once('listening', () => resolve()));
    provider = new CustomSttProvider({ url: `ws://127.0.0.1:${(stt.address() as { port: number }).port}/stt` });
    manager = createSessionManager({
      sw: srv.server.sw, catalog: srv.server.jambonz.catalog, log: silentLogger(), requestorFactory: makeRequestorFactory(), validate: validateVerbs,
      stt: recognizerFrom(provider),
    });
    const account = srv.server.jambonz.account;
    const app: JambonzApplication = { application_sid: 'tr-status', account_sid: account.account_sid, name: 'tr-status', call_hook: `${base}/call` };
    unroute = srv.server.sw.router.register({ number: 'jz-tr-status', priority: 1000 }, (channel) => manager.startInbound(channel, app, account));
  });

  after(async () => {
    unroute();
    await manager.close();
    await provider.close();
    await phone.close();
    await srv.close();
    for (const c of stt.clients) c.terminate();
    await new Promise<void>((resolve) => stt.close(() => resolve()));
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
  });

  test('pause stops transcripts, resume brings them back, stop ends the verb', async () => {
    const r = await phone.call(srv.uri('jz-tr-status'));
    assert.ok(r.ok);
    await until('the recognizer to start', () => events.starts === 1 && callSids.length === 1);
    const live = manager.get(callSids[0]!);
    assert.ok(live);
    await r.call.sendTone(300, 700);
    await until('a transcript', () => transcripts.length >= 1);
    assert.equal(transcripts[0], 'stream 1 utterance 1');

    assert.equal((await live.update({ transcribe_status: 'pause' })).status, 202);
    await until('the recognition stream closed', () => events.closes === 1);
    const before = transcripts.length;
    await sendPacedTone(r.call, 300, { ms: 1200 });
    assert.equal(transcripts.length, before, 'nothing is transcribed while paused');
    assert.equal(events.starts, 1);

    assert.equal((await live.update({ transcribe_status: 'resume' })).status, 202);
    await until('a new recognition stream', () => events.starts === 2);
    await sendPacedTone(r.call, 300, { ms: 700 });
    await until('transcripts again', () => transcripts.includes('stream 2 utterance 1'));

    assert.equal((await live.update({ transcribe_status: 'stop' })).status, 202);
    await until('the app goes on with its next verb', () => requested.includes('/after'));
    assert.equal((await live.update({ transcribe_status: 'pause' })).status, 422, 'nothing left to pause');
    await r.call.hangup();
    await waitIdle(srv.server, until);
  });
});
