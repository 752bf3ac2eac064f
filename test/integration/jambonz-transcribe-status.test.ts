/**
 * `transcribe_status` (REST, specs/jambonz.md §2.6) and `transcribe:status` (command, §1.6) over a real
 * SIP call transcribed through a local speech-to-text server speaking the jambonz "custom" vendor
 * protocol (a final result per 0.5 s of audio): pause closes the recognition stream (what the caller
 * says meanwhile is not transcribed), resume opens a new one (transcripts again), stop ends the
 * `transcribe` verb and the app goes on with its next verb. Without a running transcription: 422.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestPhone } from '../support/test-phone.ts';
import { sendPacedTone } from '../support/phone-audio.ts';
import { startCustomStt, startJambonz, until, type CustomStt, type CustomSttEvents, type JambonzFixture } from '../support/jambonz-fixture.ts';
import { recognizerFrom } from '../../src/api/jambonz/index.ts';
import { readBody } from '../support/http-body.ts';

describe('jambonz transcribe_status on a running transcription', () => {
  let fx: JambonzFixture;
  let phone: TestPhone;
  let stt: CustomStt;
  const transcripts: string[] = [];
  const requested: string[] = [];
  const callSids: string[] = [];
  let events: CustomSttEvents;

  before(async () => {
    stt = await startCustomStt((count, stream) => `stream ${stream} utterance ${count}`);
    events = stt.events;
    fx = await startJambonz({
      webhook: (req, res) => {
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
      },
      manager: { stt: recognizerFrom(stt.provider) },
    });
    phone = await fx.phone();
    fx.route('jz-tr-status', { application_sid: 'tr-status', name: 'tr-status', call_hook: fx.hook('/call') });
  });

  after(async () => {
    await fx.close();
    await stt.close();
  });

  test('pause stops transcripts, resume brings them back, stop ends the verb', async () => {
    const r = await phone.call(fx.srv.uri('jz-tr-status'));
    assert.ok(r.ok);
    await until('the recognizer to start', () => events.starts === 1 && callSids.length === 1);
    const live = fx.manager.get(callSids[0]!);
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
    await fx.idle();
  });
});
