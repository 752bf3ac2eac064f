/**
 * `transcribe` and `config.transcribe` over real SIP calls (specs/jambonz.md §3.A transcribe, §2.4
 * transcriptionHook): the caller's audio is tapped from the call and streamed to a local speech-to-text
 * server speaking the jambonz "custom" vendor protocol. The server answers an interim result after
 * 0.25 s of audio and a final one after 0.5 s ("utterance 1", "utterance 2" ...), or an error when the
 * recognizer language is `xx-ERR`. Checked: the hook payloads (call info + `speech`), interim results
 * only when asked, the recognizer stopped at hangup and by `config.transcribe {enable:false}`, and a
 * recognizer error reported while the call goes on.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer } from 'ws';
import type { TestPhone } from '../support/test-phone.ts';
import { startJambonz, until, type JambonzFixture } from '../support/jambonz-fixture.ts';
import { CustomSttProvider } from '../../src/speech/index.ts';
import { recognizerFrom } from '../../src/api/jambonz/index.ts';
import { readBody } from '../support/http-body.ts';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Speech { is_final: boolean; channel_tag: number; alternatives: { transcript: string }[]; vendor: { name: string } }

const APPS: Record<string, unknown[]> = {
  '/interim': [{ verb: 'answer' }, { verb: 'transcribe', transcriptionHook: '/t', recognizer: { vendor: 'custom', interim: true } }],
  '/finals': [{ verb: 'answer' }, { verb: 'transcribe', transcriptionHook: '/t', recognizer: { vendor: 'custom' } }],
  '/config': [
    { verb: 'answer' },
    { verb: 'config', transcribe: { enable: true, transcriptionHook: '/t', recognizer: { vendor: 'custom' } } },
    { verb: 'pause', length: 10 },
  ],
  '/error': [
    { verb: 'answer' },
    { verb: 'transcribe', transcriptionHook: '/t', recognizer: { vendor: 'custom', language: 'xx-ERR' } },
    { verb: 'redirect', actionHook: '/after' },
  ],
  '/after': [{ verb: 'pause', length: 10 }],
  '/config-off': [
    { verb: 'answer' },
    { verb: 'config', transcribe: { enable: true, transcriptionHook: '/t', recognizer: { vendor: 'custom' } } },
    { verb: 'pause', length: 1 },
    { verb: 'config', transcribe: { enable: false } },
    { verb: 'pause', length: 10 },
  ],
};

describe('jambonz transcribe through the audio tap and a custom-vendor STT server', () => {
  let fx: JambonzFixture;
  let phone: TestPhone;
  let stt: WebSocketServer;
  let provider: CustomSttProvider;
  const hooks: Record<string, unknown>[] = [];
  const events = { starts: [] as Record<string, unknown>[], stops: 0, closes: 0 };
  const requested: string[] = [];

  before(async () => {
    stt = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    stt.on('connection', (ws) => {
      let bytes = 0;
      let count = 0;
      let failing = false;
      ws.on('close', () => { events.closes += 1; });
      ws.on('message', (data, isBinary) => {
        if (!isBinary) {
          const m = JSON.parse(data.toString()) as Record<string, unknown>;
          if (m['type'] === 'start') {
            events.starts.push(m);
            failing = m['language'] === 'xx-ERR';
          }
          if (m['type'] === 'stop') {
            events.stops += 1;
            ws.close();
          }
          return;
        }
        if (failing) {
          failing = false;
          ws.send(JSON.stringify({ type: 'error', error: 'quota exceeded' }));
          return;
        }
        const before = bytes;
        bytes += (data as Buffer).length;
        if (before < 8000 && bytes >= 8000) {
          ws.send(JSON.stringify({ type: 'transcription', is_final: false, alternatives: [{ transcript: `utterance ${count + 1} partial`, confidence: 0.5 }] }));
        }
        if (bytes >= 16_000) {
          bytes = 0;
          count += 1;
          ws.send(JSON.stringify({ type: 'transcription', is_final: true, alternatives: [{ transcript: `utterance ${count}`, confidence: 0.9 }] }));
        }
      });
    });
    await new Promise<void>((resolve) => stt.once('listening', () => resolve()));
    provider = new CustomSttProvider({ url: `ws://127.0.0.1:${(stt.address() as { port: number }).port}/stt` });
    fx = await startJambonz({
      webhook: (req, res) => {
        void readBody(req).then((text) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          const url = req.url ?? '';
          if (url === '/t') {
            hooks.push(JSON.parse(text) as Record<string, unknown>);
            res.end('[]');
            return;
          }
          requested.push(url);
          res.end(JSON.stringify(APPS[url] ?? []));
        });
      },
      manager: { stt: recognizerFrom(provider) },
    });
    phone = await fx.phone();
    for (const name of Object.keys(APPS).filter((n) => n !== '/after')) {
      const number = `jz-tr-${name.slice(1)}`;
      fx.route(number, { application_sid: `tr-${name.slice(1)}`, name: number, call_hook: fx.hook(name) });
    }
  });

  after(async () => {
    await fx.close();
    await provider.close();
    for (const c of stt.clients) c.terminate();
    await new Promise<void>((resolve) => stt.close(() => resolve()));
  });

  const reset = (): void => {
    hooks.length = 0;
    events.starts.length = 0;
    events.stops = 0;
    events.closes = 0;
    requested.length = 0;
  };
  const speechOf = (h: Record<string, unknown>): Speech => h['speech'] as Speech;

  test('transcribe with interim: interim and final results reach the transcriptionHook; hangup stops the recognizer', async () => {
    reset();
    const r = await phone.call(fx.srv.uri('jz-tr-interim'));
    assert.ok(r.ok);
    await until('the recognizer to start', () => events.starts.length === 1);
    assert.equal(events.starts[0]!['sampleRateHz'], 16000);
    assert.equal(events.starts[0]!['interimResults'], true);
    await r.call.sendTone(300, 1400);
    await until('two final transcripts', () => hooks.filter((h) => speechOf(h).is_final).length >= 2);
    const finals = hooks.map(speechOf).filter((s) => s.is_final);
    assert.deepEqual(finals.slice(0, 2).map((s) => s.alternatives[0]!.transcript), ['utterance 1', 'utterance 2']);
    const interims = hooks.map(speechOf).filter((s) => !s.is_final);
    assert.ok(interims.length >= 1, 'interim results are posted when recognizer.interim is set');
    assert.equal(interims[0]!.alternatives[0]!.transcript, 'utterance 1 partial');
    const first = hooks[0]!;
    assert.equal(typeof first['call_sid'], 'string');
    assert.equal(first['direction'], 'inbound');
    assert.equal(speechOf(first).channel_tag, 1);
    assert.equal(speechOf(first).vendor.name, 'custom');
    await r.call.hangup();
    await until('the recognizer stopped at hangup', () => events.closes === 1);
    const count = hooks.length;
    await fx.idle();
    await delay(200);
    assert.equal(hooks.length, count, 'no transcripts after hangup');
  });

  test('transcribe without interim: only final results are posted', async () => {
    reset();
    const r = await phone.call(fx.srv.uri('jz-tr-finals'));
    assert.ok(r.ok);
    await until('the recognizer to start', () => events.starts.length === 1);
    assert.notEqual(events.starts[0]!['interimResults'], true);
    await r.call.sendTone(300, 1400);
    await until('two final transcripts', () => hooks.length >= 2);
    assert.ok(hooks.every((h) => speechOf(h).is_final), 'no interim results when not asked for');
    await r.call.hangup();
    await until('the recognizer stopped at hangup', () => events.closes === 1);
    await fx.idle();
  });

  test('config.transcribe runs in the background while other verbs run', async () => {
    reset();
    const r = await phone.call(fx.srv.uri('jz-tr-config'));
    assert.ok(r.ok);
    await until('the recognizer to start', () => events.starts.length === 1);
    await r.call.sendTone(300, 700);
    await until('a final transcript during the pause verb', () => hooks.length >= 1);
    assert.equal(speechOf(hooks[0]!).alternatives[0]!.transcript, 'utterance 1');
    assert.equal(events.closes, 0, 'still transcribing');
    await r.call.hangup();
    await until('the recognizer stopped at hangup', () => events.closes === 1);
    await fx.idle();
  });

  test('config.transcribe {enable:false} stops the background transcription; the call goes on', async () => {
    reset();
    const r = await phone.call(fx.srv.uri('jz-tr-config-off'));
    assert.ok(r.ok);
    await until('the recognizer to start', () => events.starts.length === 1);
    await until('the recognizer stopped by enable:false', () => events.closes === 1, 4000);
    assert.equal(r.call.dialog.state, 'confirmed', 'the call goes on');
    await r.call.hangup();
    await fx.idle();
    assert.equal(events.starts.length, 1);
  });

  test('a recognizer error ends the transcribe verb and the app goes on with its next verb', async () => {
    reset();
    const r = await phone.call(fx.srv.uri('jz-tr-error'));
    assert.ok(r.ok);
    await until('the recognizer to start', () => events.starts.length === 1);
    await r.call.sendTone(300, 300);
    await until('the verb after transcribe ran', () => requested.includes('/after'));
    assert.equal(hooks.length, 0);
    assert.equal(r.call.dialog.state, 'confirmed', 'the call goes on');
    await r.call.hangup();
    await fx.idle();
  });
});
