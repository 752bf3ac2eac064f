import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaSessionError } from './session-error.ts';
import { applyGain, outputGainFactor } from './output-gain.ts';

test('output gain factors: 0 dB is exactly 1, +6 dB about doubles, -6 dB about halves', () => {
  assert.equal(outputGainFactor(0), 1);
  assert.ok(Math.abs(outputGainFactor(6) - 1.995) < 0.01);
  assert.ok(Math.abs(outputGainFactor(-6) - 0.501) < 0.01);
});

test('output gains out of range or not finite are refused with MEDIA_SESSION_CONFIG', () => {
  for (const db of [31, -61, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => outputGainFactor(db), (err: unknown) => err instanceof MediaSessionError && err.code === 'MEDIA_SESSION_CONFIG');
  }
});

test('applyGain scales and saturates to 16 bits', () => {
  const frame = Int16Array.from([1000, -1000, 20000, -20000, 0]);
  applyGain(frame, 2);
  assert.deepEqual([...frame], [2000, -2000, 32767, -32768, 0]);
  applyGain(frame, 0.5);
  assert.deepEqual([...frame], [1000, -1000, 16384, -16384, 0]);
});
