import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinWavSegments, wavDataOf, wavHeaderOf } from './wav-join.ts';

const stereo = (frames: number[][], rate = 8000): Buffer => {
  const data = Buffer.alloc(frames.length * 4);
  frames.forEach(([l, r], i) => { data.writeInt16LE(l!, i * 4); data.writeInt16LE(r!, i * 4 + 2); });
  return Buffer.concat([wavHeaderOf(rate, 2, data.length), data]);
};

test('segments joined in order with the paused time as silence', () => {
  const out = joinWavSegments([
    { bytes: stereo([[1, 2], [3, 4]]), silenceBeforeMs: 0 },
    { bytes: stereo([[5, 6]]), silenceBeforeMs: 0.5 },
  ]);
  assert.ok(out);
  const w = wavDataOf(out);
  assert.ok(w);
  assert.equal(w.channels, 2);
  assert.equal(w.sampleRate, 8000);
  const frames = w.data.length / 4;
  assert.equal(frames, 2 + 4 + 1, '0.5 ms at 8 kHz = 4 frames of silence');
  assert.deepEqual([w.data.readInt16LE(0), w.data.readInt16LE(2), w.data.readInt16LE(8), w.data.readInt16LE(24), w.data.readInt16LE(26)], [1, 2, 0, 5, 6]);
  assert.equal(out.readUInt32LE(4), out.length - 8, 'RIFF size');
});

test('unreadable or mismatched segments are skipped; nothing readable gives undefined', () => {
  assert.equal(joinWavSegments([{ bytes: undefined, silenceBeforeMs: 0 }, { bytes: Buffer.from('junk'), silenceBeforeMs: 0 }]), undefined);
  const out = joinWavSegments([{ bytes: stereo([[1, 1]]), silenceBeforeMs: 0 }, { bytes: stereo([[2, 2]], 16000), silenceBeforeMs: 0 }]);
  assert.equal(wavDataOf(out!)!.data.length, 4);
  assert.equal(wavDataOf(Buffer.from('RIFF\0\0\0\0WAVE')), undefined);
});
