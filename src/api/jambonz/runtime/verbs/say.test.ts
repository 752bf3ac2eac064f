import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario } from '../../../../../test/support/jambonz-runtime-scenario.ts';
import type { Synthesizer } from '../speech.ts';
import { synthesizerFrom } from '../speech-adapters.ts';

function recordingTts(): Synthesizer & { rates: (number | undefined)[] } {
  const rates: (number | undefined)[] = [];
  return {
    rates,
    async synthesize(text, _settings, options = {}) {
      rates.push(options.sampleRate);
      return { source: `tts:${text}@${options.sampleRate ?? 'native'}`, vendor: 'fake', language: 'en-US', servedFromCache: true };
    },
  };
}

test('say asks for the audio at the leg\'s rate and plays what comes back', async () => {
  const tts = recordingTts();
  const s = scenario(() => [{ verb: 'say', text: 'hello' }], { tts });
  const { media } = s.call();
  Object.assign(media, { sampleRate: 16000 });
  await s.h.flush();
  assert.deepEqual(tts.rates, [16000]);
  assert.equal(s.finishPlay(media, { durationMs: 500 }), 'tts:hello@16000');
  await s.h.tick(1000);
  await s.done();
});

test('say without a known leg rate asks for the engine\'s own rate', async () => {
  const tts = recordingTts();
  const s = scenario(() => [{ verb: 'say', text: 'hi' }], { tts });
  const { media } = s.call();
  await s.h.flush();
  assert.deepEqual(tts.rates, [undefined]);
  assert.equal(s.finishPlay(media, { durationMs: 500 }), 'tts:hi@native');
  await s.h.tick(1000);
  await s.done();
});

test('synthesizerFrom passes the rate and the request to the file cache', async () => {
  const calls: unknown[] = [];
  const synth = synthesizerFrom({
    async file(request, options) {
      calls.push({ request, options });
      return { path: `/tmp/x-${options?.sampleRate ?? 0}.wav`, speech: { vendor: 'espeak-ng', language: 'en-us', servedFromCache: true } };
    },
  });
  const r = await synth.synthesize('yes', { language: 'en-US', voice: 'v' }, { sampleRate: 8000, disableCache: true });
  assert.equal(r.source, '/tmp/x-8000.wav');
  assert.equal(r.servedFromCache, true);
  await synth.synthesize('no', {});
  assert.deepEqual(calls, [
    { request: { text: 'yes', language: 'en-US', voice: 'v', disableCache: true }, options: { sampleRate: 8000 } },
    { request: { text: 'no' }, options: {} },
  ]);
});
