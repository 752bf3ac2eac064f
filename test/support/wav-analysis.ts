/**
 * WAV files and tone measurements for media tests: writing 16-bit mono WAVs, reading any WAV the media
 * room's parser accepts (parseWav) as 16-bit mono samples, Goertzel power at one frequency, the
 * dominant frequency of a stretch, the voiced part of a recording, and SoX's `stat` as an independent
 * second opinion.
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ALAW_DECODE_TABLE, ULAW_DECODE_TABLE, parseWav } from '../../src/media/index.ts';

/** A canonical 44-byte-header PCM WAV of 16-bit mono samples. */
export function wavBytes(samples: Int16Array, rate: number): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVE', 8, 'latin1');
  head.write('fmt ', 12, 'latin1');
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(rate, 24);
  head.writeUInt32LE(rate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36, 'latin1');
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

export interface MonoAudio {
  rate: number;
  samples: Int16Array;
}

/** The first channel of a WAV as 16-bit samples (PCM 8/16/24/32, mu-law, A-law). */
export function readWavMono(bytes: Uint8Array): MonoAudio {
  const info = parseWav(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset + info.dataOffset, info.dataLength);
  const out = new Int16Array(info.frames);
  const bytesPerSample = info.bitsPerSample / 8;
  for (let i = 0; i < info.frames; i++) {
    const at = i * info.blockAlign;
    if (info.encoding === 'ulaw') out[i] = ULAW_DECODE_TABLE[view.getUint8(at)]!;
    else if (info.encoding === 'alaw') out[i] = ALAW_DECODE_TABLE[view.getUint8(at)]!;
    else if (info.encoding === 'pcm' && bytesPerSample === 1) out[i] = (view.getUint8(at) - 128) << 8;
    else if (info.encoding === 'pcm' && bytesPerSample === 2) out[i] = view.getInt16(at, true);
    else if (info.encoding === 'pcm' && bytesPerSample === 3) out[i] = view.getInt16(at + 1, true);
    else if (info.encoding === 'pcm' && bytesPerSample === 4) out[i] = view.getInt32(at, true) >> 16;
    else if (info.encoding === 'float' && bytesPerSample === 4) out[i] = Math.max(-32768, Math.min(32767, Math.round(view.getFloat32(at, true) * 32767)));
    else throw new Error(`unsupported WAV layout ${info.encoding}/${info.bitsPerSample}`);
  }
  return { rate: info.sampleRate, samples: out };
}

export function readWavFile(path: string): MonoAudio {
  return readWavMono(readFileSync(path));
}

/** Goertzel power of `hz` in `x`, normalized by length (a sine of peak A gives about A^2 n / 4). */
export function goertzelPower(x: ArrayLike<number>, hz: number, rate: number): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s = x[i]! + k * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / Math.max(1, x.length);
}

/** The strongest frequency in 100-3500 Hz, on a `step` Hz grid. */
export function dominantFrequency(x: ArrayLike<number>, rate: number, step = 5): number {
  let best = 0;
  let bestP = -1;
  for (let f = 100; f <= Math.min(3500, rate / 2 - step); f += step) {
    const p = goertzelPower(x, f, rate);
    if (p > bestP) {
      bestP = p;
      best = f;
    }
  }
  return best;
}

/** Share of the signal's energy at `hz` (1 for a pure sine of that frequency). */
export function toneShare(x: ArrayLike<number>, hz: number, rate: number): number {
  let energy = 0;
  for (let i = 0; i < x.length; i++) energy += x[i]! * x[i]!;
  if (energy === 0) return 0;
  // A sine of peak A has mean power A^2/2 and Goertzel power A^2 n / 4.
  return (2 * goertzelPower(x, hz, rate)) / (energy / Math.max(1, x.length)) / Math.max(1, x.length);
}

/**
 * The stretch of `x` from the first to the last 20 ms block whose RMS exceeds `threshold`, or an empty
 * array when no block does.
 */
export function voiced(x: Int16Array, rate: number, threshold = 300): Int16Array {
  const block = Math.round(rate / 50);
  let first = -1;
  let last = -1;
  for (let at = 0; at + block <= x.length; at += block) {
    let s = 0;
    for (let i = at; i < at + block; i++) s += x[i]! * x[i]!;
    if (Math.sqrt(s / block) > threshold) {
      if (first < 0) first = at;
      last = at + block;
    }
  }
  return first < 0 ? new Int16Array(0) : x.subarray(first, last);
}

export function soxAvailable(): boolean {
  return spawnSync('sox', ['--version'], { stdio: 'ignore', timeout: 5000 }).status === 0;
}

export interface SoxStat {
  roughFrequency: number;
  rmsAmplitude: number;
  lengthSeconds: number;
  raw: string;
}

/** `sox FILE -n stat` (it reports on stderr); `trim` seconds are cut from the start first. */
export function soxStat(path: string, trim = 0): SoxStat {
  const args = [path, '-n', ...(trim > 0 ? ['trim', String(trim)] : []), 'stat'];
  const r = spawnSync('sox', args, { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) throw new Error(`sox ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(-?[0-9.]+)`, 'm').exec(r.stderr);
    if (!m) throw new Error(`sox stat printed no "${name}":\n${r.stderr}`);
    return Number(m[1]);
  };
  return {
    roughFrequency: field('Rough\\s+frequency'),
    rmsAmplitude: field('RMS\\s+amplitude'),
    lengthSeconds: field('Length \\(seconds\\)'),
    raw: r.stderr,
  };
}
