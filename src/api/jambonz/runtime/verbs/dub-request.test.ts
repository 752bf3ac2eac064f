import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decibelsOf, dubRequestOf } from './dub-request.ts';

test('decibelsOf: numbers and "<n> dB" strings', () => {
  const table: [unknown, number | undefined][] = [
    [-6, -6], [3.5, 3.5], ['-6 dB', -6], ['+3dB', 3], ['4', 4], [' -2.5 db ', -2.5],
    ['loud', undefined], ['6 dBm', undefined], [Number.NaN, undefined], [null, undefined], [{}, undefined],
  ];
  for (const [input, want] of table) assert.equal(decibelsOf(input), want, JSON.stringify(input));
});

test('dubRequestOf: actions, track, play / say, loop and gain', () => {
  const ok = (data: unknown) => {
    const r = dubRequestOf(data);
    assert.ok(r.ok, JSON.stringify(data));
    return r.request;
  };
  assert.deepEqual(ok({ action: 'addTrack', track: 'a' }), { action: 'addTrack', track: 'a', loops: 1, gainDb: 0 });
  assert.deepEqual(ok({ verb: 'dub', action: 'playOnTrack', track: 'a', play: ' http://x/y.wav ', loop: true, gain: '-3 dB' }),
    { action: 'playOnTrack', track: 'a', play: 'http://x/y.wav', loops: 0, gainDb: -3 });
  assert.deepEqual(ok({ action: 'sayOnTrack', track: 'a', say: { text: 'hi', synthesizer: { voice: 'v' } }, loop: 2 }),
    { action: 'sayOnTrack', track: 'a', say: { text: 'hi', synthesizer: { voice: 'v' } }, loops: 2, gainDb: 0 });
  assert.deepEqual(ok({ action: 'addTrack', track: 'a', say: 'hello' }).say, { text: 'hello' });
  const bad: [unknown, RegExp][] = [
    [null, /must be an object/],
    [{ action: 'mix', track: 'a' }, /action must be one of/],
    [{ action: 'addTrack' }, /track is required/],
    [{ action: 'addTrack', track: ' ' }, /track is required/],
    [{ action: 'playOnTrack', track: 'a' }, /needs play/],
    [{ action: 'sayOnTrack', track: 'a' }, /needs say/],
    [{ action: 'sayOnTrack', track: 'a', say: { text: '' } }, /say must be/],
    [{ action: 'addTrack', track: 'a', play: 7 }, /play must be/],
    [{ action: 'addTrack', track: 'a', loop: 'yes' }, /loop must be/],
    [{ action: 'addTrack', track: 'a', loop: -1 }, /loop must be/],
    [{ action: 'addTrack', track: 'a', gain: 31 }, /gain must be/],
    [{ action: 'addTrack', track: 'a', gain: '-61 dB' }, /gain must be/],
    [{ action: 'addTrack', track: 'a', gain: 'loud' }, /gain must be/],
  ];
  for (const [data, error] of bad) {
    const r = dubRequestOf(data);
    assert.ok(!r.ok, JSON.stringify(data));
    assert.match(r.error, error);
  }
});
