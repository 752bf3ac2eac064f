import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PcmAssembler, downsample2x, pcmToBytes, readWavPcm, upsample2x } from './pcm.ts';

function wav(samples: number[], rate: number, channels: number, bits = 16, extraChunk = false): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'latin1');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE(rate * channels * 2, 16);
  fmt.writeUInt16LE(channels * 2, 20);
  fmt.writeUInt16LE(bits, 22);
  const list = extraChunk ? Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.from([3, 0, 0, 0, 1, 2, 3, 0])]) : Buffer.alloc(0);
  const head = Buffer.alloc(8);
  head.write('data', 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), fmt, list, head, data]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

test('samples to little-endian bytes and back, across odd frame splits', () => {
  const pcm = Int16Array.from([0, 1, -1, 32767, -32768, 258]);
  const bytes = pcmToBytes(pcm);
  assert.equal(bytes.readInt16LE(6), 32767);
  const a = new PcmAssembler();
  const parts = [a.push(bytes.subarray(0, 3)), a.push(bytes.subarray(3, 4)), a.push(bytes.subarray(4, 11)), a.push(bytes.subarray(11))];
  assert.deepEqual(parts.flatMap((p) => [...p]), [...pcm]);
  assert.equal(a.push(Buffer.alloc(0)).length, 0);
});

test('2:1 rate changes', () => {
  assert.deepEqual([...upsample2x(Int16Array.from([0, 100, 200]))], [0, 50, 100, 150, 200, 200]);
  assert.deepEqual([...downsample2x(Int16Array.from([0, 100, 200, 300, 7]))], [50, 250]);
});

test('WAV content: 16-bit PCM mono and stereo (first channel), extra chunks skipped; other files refused', () => {
  const mono = readWavPcm(wav([1, 2, 3], 16000, 1, 16, true));
  assert.ok(mono.ok);
  if (mono.ok) {
    assert.equal(mono.sampleRate, 16000);
    assert.deepEqual([...mono.pcm], [1, 2, 3]);
  }
  const stereo = readWavPcm(wav([1, 9, 2, 9, 3, 9], 8000, 2));
  assert.ok(stereo.ok && [...stereo.pcm].join() === '1,2,3');
  assert.equal(readWavPcm(wav([1], 8000, 1, 8)).ok, false);
  assert.equal(readWavPcm(Buffer.from('hello world, not a wav')).ok, false);
  assert.equal(readWavPcm(wav([1], 8000, 1).subarray(0, 30)).ok, false);
});
