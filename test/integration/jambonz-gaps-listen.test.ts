/**
 * `listen` with a nested `transcribe` over a real SIP call (specs/jambonz.md §3.A listen; the
 * original's listen task runs its nested transcribe on the same call and kills it when the listen
 * ends): the caller's audio goes to the audio socket and, at the same time, to a local speech-to-text
 * server speaking the jambonz "custom" vendor protocol (a final result for each 0.5 s of audio), whose
 * results reach the transcriptionHook. When the audio socket closes the listen ends, the recognizer
 * stops, and the listen's actionHook runs. `timeout` is accepted (and, as in the original, unused).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TestPhone } from '../support/test-phone.ts';
import { jsonWebhook, startCustomStt, startJambonz, until, type CustomStt, type JambonzFixture } from '../support/jambonz-fixture.ts';
import type { Hit } from '../support/http-body.ts';
import { recognizerFrom } from '../../src/api/jambonz/index.ts';

describe('jambonz listen with a nested transcribe', () => {
  let fx: JambonzFixture;
  let caller: TestPhone;
  let stt: CustomStt;
  let audio: WebSocketServer;
  const hits: Hit[] = [];
  const sockets: WebSocket[] = [];
  let audioBytes = 0;

  before(async () => {
    stt = await startCustomStt((count) => `utterance ${count}`);
    audio = new WebSocketServer({
      port: 0, host: '127.0.0.1',
      handleProtocols: (protocols) => (protocols.has('audio.drachtio.org') ? 'audio.drachtio.org' : false),
    });
    audio.on('connection', (ws) => {
      sockets.push(ws);
      ws.on('message', (data, isBinary) => { if (isBinary) audioBytes += (data as Buffer).length; });
    });
    await new Promise<void>((resolve) => audio.once('listening', () => resolve()));
    const audioUrl = `ws://127.0.0.1:${(audio.address() as { port: number }).port}/audio`;
    fx = await startJambonz({
      manager: { stt: recognizerFrom(stt.provider) },
      webhook: jsonWebhook((hit, res) => {
        hits.push(hit);
        res.writeHead(200, { 'content-type': 'application/json' });
        if (hit.path === '/call') {
          res.end(JSON.stringify([
            { verb: 'answer' },
            {
              verb: 'listen', url: audioUrl, actionHook: '/listen-done', timeout: 30,
              transcribe: { transcriptionHook: '/t', recognizer: { vendor: 'custom' } },
            },
          ]));
        } else if (hit.path === '/listen-done') {
          res.end(JSON.stringify([{ verb: 'hangup' }]));
        } else {
          res.end('[]');
        }
      }),
    });
    caller = await fx.phone();
    fx.route('jz-listen-tr', { call_hook: fx.hook('/call') });
  });

  after(async () => {
    await fx.close();
    await stt.close();
    for (const c of audio.clients) c.terminate();
    await new Promise<void>((resolve) => audio.close(() => resolve()));
  });

  test('the caller is transcribed while the listen runs; the socket closing ends both and runs the actionHook', async () => {
    const r = await caller.call(fx.srv.uri('jz-listen-tr'));
    assert.ok(r.ok);
    await until('the audio socket and the recognizer', () => sockets.length === 1 && stt.events.starts === 1);
    await r.call.sendTone(300, 1400);
    await until('transcripts at the transcriptionHook', () => hits.filter((h) => h.path === '/t').length >= 2);
    const speech = hits.find((h) => h.path === '/t')!.body['speech'] as { is_final: boolean; alternatives: { transcript: string }[] };
    assert.equal(speech.is_final, true);
    assert.equal(speech.alternatives[0]!.transcript, 'utterance 1');
    assert.ok(audioBytes > 8000, `the audio socket got the caller's audio too (${audioBytes} bytes)`);
    assert.equal(stt.events.closes, 0, 'still transcribing');
    sockets[0]!.close();
    await until('the listen actionHook', () => hits.some((h) => h.path === '/listen-done'));
    await until('the recognizer stopped with the listen', () => stt.events.closes === 1);
    await until('BYE from the actionHook reply', () => r.call.dialog.state === 'terminated');
    await fx.idle();
  });
});
