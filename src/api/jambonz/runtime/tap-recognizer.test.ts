import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AudioChunk, AudioTapOptions, Channel } from '../../../core/index.ts';
import { CustomSttProvider } from '../../../speech/index.ts';
import { recognizerFrom, type SttResultLike } from './tap-recognizer.ts';
import type { SpeechResult } from './speech.ts';

type Listener = (value: never) => void;

function fakeProvider() {
  const written: number[] = [];
  const listeners = new Map<string, Listener[]>();
  let closed = 0;
  let started: Record<string, unknown> | undefined;
  const session = {
    write: (pcm: Int16Array) => { written.push(pcm.length); },
    on: (event: string, l: Listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), l]);
      return () => listeners.set(event, (listeners.get(event) ?? []).filter((x) => x !== l));
    },
    close: () => { closed++; },
  };
  return {
    provider: { vendor: 'fake', start: (o: Record<string, unknown>) => { started = o; return session as never; } },
    emit: (event: string, value: unknown) => { for (const l of listeners.get(event) ?? []) (l as (v: unknown) => void)(value); },
    written, get closed() { return closed; }, get started() { return started; },
  };
}

function channelWithTap() {
  const taps: { options: AudioTapOptions; onAudio: (c: AudioChunk) => void; stopped: boolean }[] = [];
  const media = {
    tapAudio(options: AudioTapOptions, onAudio: (c: AudioChunk) => void) {
      const t = { options, onAudio, stopped: false };
      taps.push(t);
      return { sampleRate: 16000, channels: 1 as const, done: Promise.resolve(), stop: () => { t.stopped = true; } };
    },
  };
  return { channel: { uuid: 'c1', media } as unknown as Channel, taps };
}

test('streams the tapped far-end audio to the provider and reports its results as jambonz speech', () => {
  const p = fakeProvider();
  const { channel, taps } = channelWithTap();
  const seen: SpeechResult[] = [];
  const stream = recognizerFrom(p.provider).start(channel, { language: 'de-DE', interim: true, hints: ['ja'] }, {
    transcript: (r) => seen.push(r), error: () => assert.fail('no error'),
  });
  assert.deepEqual(p.started, { sampleRate: 16000, language: 'de-DE', interim: true, hints: ['ja'] });
  assert.deepEqual(taps[0]!.options, { direction: 'in', sampleRate: 16000, chunkMs: 100 });
  taps[0]!.onAudio({ pcm: new Int16Array(1600), sampleRate: 16000, channels: 1 });
  assert.deepEqual(p.written, [1600]);
  const result: SttResultLike = { isFinal: true, alternatives: [{ transcript: 'ja bitte', confidence: 0.8 }], language: 'de-DE', vendor: 'fake', raw: { x: 1 } };
  p.emit('final', result);
  assert.deepEqual(seen, [{
    language_code: 'de-DE', channel_tag: 1, is_final: true, alternatives: [{ transcript: 'ja bitte', confidence: 0.8 }], vendor: { name: 'fake', evt: { x: 1 } },
  }]);
  stream.close();
  stream.close();
  assert.equal(taps[0]!.stopped, true);
  assert.equal(p.closed, 1);
  p.emit('final', result);
  assert.equal(seen.length, 1, 'nothing after close');
});

test('no audio tap, or a provider that cannot start: an error the gather reports', async () => {
  const errors: string[] = [];
  const listener = { transcript: () => assert.fail('no transcript'), error: (m: string) => errors.push(m) };
  recognizerFrom(fakeProvider().provider).start({ uuid: 'c2', media: {} } as unknown as Channel, {}, listener);
  const broken = { vendor: 'x', start: () => { throw new Error('vendor down'); } };
  recognizerFrom(broken).start(channelWithTap().channel, {}, listener);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(errors, ['the call has no audio to recognize', 'vendor down']);
});

test('the speech room custom-vendor client fits the structural provider type', () => {
  const provider = new CustomSttProvider({ url: 'ws://127.0.0.1:9/stt' });
  assert.equal(typeof recognizerFrom(provider).start, 'function');
  void provider.close();
});
