import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PcmFifo } from './pcm-fifo.ts';

test('PcmFifo regroups frames across the ring boundary', () => {
  const f = new PcmFifo(8);
  f.push(Int16Array.of(1, 2, 3, 4, 5));
  const out = new Int16Array(3);
  assert.equal(f.read(out), 3);
  assert.deepEqual([...out], [1, 2, 3]);
  f.push(Int16Array.of(6, 7, 8, 9, 10), 4);
  assert.equal(f.length, 6);
  const all = new Int16Array(10);
  assert.equal(f.read(all), 6);
  assert.deepEqual([...all.subarray(0, 6)], [4, 5, 6, 7, 8, 9]);
});

test('PcmFifo overflow drops the oldest samples; silence and drop', () => {
  const f = new PcmFifo(4);
  f.push(Int16Array.of(1, 2, 3));
  f.push(Int16Array.of(4, 5, 6));
  const out = new Int16Array(4);
  f.read(out);
  assert.deepEqual([...out], [3, 4, 5, 6]);
  f.pushSilence(2);
  f.push(Int16Array.of(9));
  f.drop(1);
  assert.equal(f.read(out), 2);
  assert.deepEqual([...out.subarray(0, 2)], [0, 9]);
  f.push(Int16Array.of(1, 2, 3, 4, 5, 6));
  assert.equal(f.length, 4);
  f.clear();
  assert.equal(f.length, 0);
});
