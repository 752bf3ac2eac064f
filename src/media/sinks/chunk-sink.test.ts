import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkSink } from './chunk-sink.ts';

test('mono: channel 0 in chunks of the asked length, the rest on close', async () => {
  const out: Int16Array[] = [];
  const sink = new ChunkSink({ sampleRate: 8000, channels: 1, chunkMs: 50 }, (c) => out.push(c));
  for (let t = 0; t < 6; t++) {
    sink.write(new Int16Array(160).fill(t + 1), 0);
    sink.write(new Int16Array(160).fill(-9), 1);
  }
  assert.deepEqual(out.map((c) => c.length), [400, 400]);
  assert.equal(out[0]![0], 1);
  assert.equal(out[0]![399], 3);
  await sink.close();
  assert.deepEqual(out.map((c) => c.length), [400, 400, 160]);
  assert.ok(out.every((c) => c.every((s) => s !== -9)), 'channel 1 is not in a mono chunk');
  sink.write(new Int16Array(160), 0);
  assert.equal(out.length, 3, 'nothing after close');
});

test('stereo: the two channels interleaved, a missing channel 0 is silence', () => {
  const out: Int16Array[] = [];
  const sink = new ChunkSink({ sampleRate: 8000, channels: 2, chunkMs: 20 }, (c) => out.push(c));
  sink.write(new Int16Array(160).fill(5), 0);
  sink.write(new Int16Array(160).fill(-5), 1);
  sink.write(new Int16Array(160).fill(7), 1);
  assert.equal(out.length, 2);
  assert.deepEqual([...out[0]!.slice(0, 4)], [5, -5, 5, -5]);
  assert.deepEqual([...out[1]!.slice(0, 4)], [0, 7, 0, 7]);
  assert.equal(out[0]!.length, 320);
});
