import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../../lib/index.ts';
import type { Channel } from '../../../../core/index.ts';
import type { RecognitionListener, Recognizer, SpeechResult } from '../speech.ts';
import type { VerbServices } from '../verbs/verb.ts';
import { transcribeRequestOf } from './transcribe-options.ts';
import { Transcription } from './transcription.ts';
import { setTranscribeStatus, transcribeStatusOf } from './running-transcriptions.ts';

function fakeChannel(uuid: string): Channel & { hangup(): void } {
  const listeners = new Set<() => void>();
  const ch = {
    uuid,
    ended: false,
    on(event: string, fn: () => void) {
      if (event !== 'hangup') return () => {};
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    hangup() {
      ch.ended = true;
      for (const fn of [...listeners]) fn();
    },
  };
  return ch as unknown as Channel & { hangup(): void };
}

function harness(withRecognizer = true) {
  const listeners = new Map<string, RecognitionListener>();
  const closed: string[] = [];
  const hooks: Record<string, unknown>[] = [];
  const errors: Record<string, unknown>[] = [];
  const recognizer: Recognizer = {
    start(channel, _settings, listener) {
      listeners.set(channel.uuid, listener);
      return { close: () => closed.push(channel.uuid) };
    },
  };
  const s = {
    log: silentLogger(),
    recognizer: withRecognizer ? recognizer : undefined,
    notifyHook: (_hook: unknown, results: Record<string, unknown>) => hooks.push(results),
    notifyError: (payload: Record<string, unknown>) => errors.push(payload),
  } as unknown as VerbServices;
  return { s, listeners, closed, hooks, errors };
}

const result = (text: string, isFinal: boolean): SpeechResult => ({
  language_code: 'en-US', channel_tag: 1, is_final: isFinal, alternatives: [{ transcript: text, confidence: 0.9 }], vendor: { name: 'custom' },
});

test('finals are posted with the leg tag; interim only when asked', () => {
  const h = harness();
  const a = fakeChannel('a');
  const b = fakeChannel('b');
  const t = new Transcription(h.s, { hook: '/t', settings: {}, legs: [{ channel: a, tag: 1 }, { channel: b, tag: 2 }], verb: { verb: 'transcribe' } });
  assert.equal(t.start(), true);
  h.listeners.get('a')!.transcript(result('hi', false));
  h.listeners.get('a')!.transcript(result('hi there', true));
  h.listeners.get('b')!.transcript(result('hello', true));
  assert.deepEqual(h.hooks.map((x) => [(x['speech'] as SpeechResult).alternatives[0]!.transcript, (x['speech'] as SpeechResult).channel_tag]), [['hi there', 1], ['hello', 2]]);
  t.stop();
  t.stop();
  assert.deepEqual(h.closed.sort(), ['a', 'b']);
  h.listeners.get('a')!.transcript(result('late', true));
  assert.equal(h.hooks.length, 2);
});

test('interim results are posted with recognizer.interim', () => {
  const h = harness();
  const t = new Transcription(h.s, { hook: '/t', settings: { interim: true }, legs: [{ channel: fakeChannel('a'), tag: 1 }], verb: { verb: 'transcribe' } });
  t.start();
  h.listeners.get('a')!.transcript(result('hi', false));
  assert.equal((h.hooks[0]!['speech'] as SpeechResult).is_final, false);
  t.stop();
});

test('a recognizer error is a jambonz:error; the transcription ends when no leg is left', async () => {
  const h = harness();
  const t = new Transcription(h.s, { hook: '/t', settings: {}, legs: [{ channel: fakeChannel('a'), tag: 1 }], verb: { verb: 'transcribe' } });
  t.start();
  h.listeners.get('a')!.error('quota exceeded');
  await t.ended;
  assert.equal(t.stopped, true);
  assert.equal(h.errors.length, 1);
  assert.match(String(h.errors[0]!['details']), /quota exceeded/);
  assert.deepEqual(h.closed, ['a']);
});

test('hangup of a leg stops its recognizer; without a recognizer start reports and fails', async () => {
  const h = harness();
  const a = fakeChannel('a');
  const t = new Transcription(h.s, { hook: '/t', settings: {}, legs: [{ channel: a, tag: 1 }], verb: { verb: 'transcribe' } });
  t.start();
  a.hangup();
  await t.ended;
  assert.deepEqual(h.closed, ['a']);
  const none = harness(false);
  const t2 = new Transcription(none.s, { hook: '/t', settings: {}, legs: [{ channel: fakeChannel('x'), tag: 1 }], verb: { verb: 'transcribe' } });
  assert.equal(t2.start(), false);
  assert.match(String(none.errors[0]!['details']), /no speech recognizer/);
});

test('transcribeRequestOf: hook required, recognizer merged, legs chosen', () => {
  assert.equal(transcribeRequestOf({}, {}).ok, false);
  const r = transcribeRequestOf({ transcriptionHook: '/t', recognizer: { interim: true } }, { vendor: 'custom', language: 'de-DE' });
  assert.ok(r.ok);
  assert.deepEqual(r.request.settings, { vendor: 'custom', language: 'de-DE', singleUtterance: false, interim: true });
  assert.deepEqual(r.request.tags, [1]);
  const both = transcribeRequestOf({ transcriptionHook: '/t', recognizer: { separateRecognitionPerChannel: true } }, {});
  assert.ok(both.ok);
  assert.deepEqual(both.request.tags, [1, 2]);
  const callee = transcribeRequestOf({ transcriptionHook: '/t', channel: 2 }, {});
  assert.ok(callee.ok);
  assert.deepEqual(callee.request.tags, [2]);
});

test('pause closes the streams and drops results; resume opens new ones; listed for transcribe:status while running', async () => {
  const h = harness();
  const a = fakeChannel('a');
  const b = fakeChannel('b');
  const started: string[] = [];
  const recognizer = h.s.recognizer!;
  (h.s as unknown as { recognizer: unknown }).recognizer = {
    start: (channel: Channel, settings: unknown, listener: RecognitionListener) => {
      started.push(channel.uuid);
      return recognizer.start(channel, settings as never, listener);
    },
  };
  const t = new Transcription(h.s, { hook: '/t', settings: {}, legs: [{ channel: a, tag: 1 }, { channel: b, tag: 2 }], verb: { verb: 'transcribe' } });
  assert.equal(setTranscribeStatus(h.s, 'pause'), 0, 'not listed before start');
  t.start();
  const first = h.listeners.get('a')!;
  assert.equal(setTranscribeStatus(h.s, 'pause'), 1);
  assert.equal(t.paused, true);
  assert.deepEqual(h.closed.sort(), ['a', 'b']);
  first.transcript(result('dropped', true));
  assert.equal(t.pause(), false, 'already paused');
  b.hangup();
  assert.equal(setTranscribeStatus(h.s, 'resume'), 1);
  assert.deepEqual(started, ['a', 'b', 'a'], 'only the leg still up gets a new stream');
  first.transcript(result('stale stream', true));
  h.listeners.get('a')!.transcript(result('fresh', true));
  assert.deepEqual(h.hooks.map((x) => (x['speech'] as SpeechResult).alternatives[0]!.transcript), ['fresh']);
  assert.equal(t.resume(), false, 'already running');
  assert.equal(setTranscribeStatus(h.s, 'stop'), 1);
  await t.ended;
  assert.equal(setTranscribeStatus(h.s, 'pause'), 0, 'unlisted once stopped');
  assert.equal(transcribeStatusOf({ transcribe_status: 'resume' }), 'resume');
  assert.equal(transcribeStatusOf('stop'), 'stop');
  assert.equal(transcribeStatusOf({ transcribe_status: 'x' }), undefined);
});
