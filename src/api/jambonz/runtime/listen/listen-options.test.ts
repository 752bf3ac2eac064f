import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listenOptionsOf, resolveListenUrl } from './listen-options.ts';

test('defaults of listen', () => {
  const o = listenOptionsOf({ url: 'ws://a.test/audio' }, undefined);
  assert.deepEqual(o, {
    url: 'ws://a.test/audio', mixType: 'mono', sampleRate: 8000, metadata: undefined, auth: undefined, finishOnKey: undefined,
    maxLengthMs: undefined, passDtmf: false, playBeep: false, playAudio: true, streaming: false, streamRate: 8000,
  });
});

test('every property', () => {
  const o = listenOptionsOf({
    url: '/audio', mixType: 'stereo', sampleRate: 16000, metadata: { a: 1 }, wsAuth: { username: 'u', password: 'p' }, finishOnKey: '#',
    maxLength: 30, passDtmf: true, playBeep: true, bidirectionalAudio: { enabled: true, streaming: true, sampleRate: 24000 },
  }, 'https://app.test');
  assert.equal(o.url, 'wss://app.test/audio');
  assert.equal(o.mixType, 'stereo');
  assert.deepEqual(o.auth, { username: 'u', password: 'p' });
  assert.equal(o.maxLengthMs, 30_000);
  assert.equal(o.streaming, true);
  assert.equal(o.playAudio, false, 'playAudio is ignored in streaming mode');
  assert.equal(o.streamRate, 24000);
  assert.equal(listenOptionsOf({ url: 'ws://x/', disableBidirectionalAudio: true }, undefined).playAudio, false);
  assert.equal(listenOptionsOf({ url: 'ws://x/', bidirectionalAudio: { enabled: false, streaming: true } }, undefined).streaming, false);
});

test('unusable properties are refused with the reason', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{}, /needs a url/],
    [{ url: 'ws://x/', sampleRate: 11025 }, /sampleRate/],
    [{ url: 'ws://x/', mixType: 'surround' }, /mixType/],
    [{ url: 'ws://x/', bidirectionalAudio: { sampleRate: 5 } }, /bidirectionalAudio.sampleRate/],
    [{ url: '/relative' }, /relative/],
    [{ url: 'ftp://x/' }, /not a ws/],
  ];
  for (const [data, why] of bad) assert.throws(() => listenOptionsOf(data, undefined), why);
  assert.equal(resolveListenUrl('http://h:1/p?q=1', undefined), 'ws://h:1/p?q=1');
  assert.equal(resolveListenUrl('audio', 'ws://app.test/ws/'), 'ws://app.test/ws/audio');
});
