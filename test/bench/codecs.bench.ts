/**
 * Media signal-processing cost per 20 ms frame: encode and decode of every codec (ITU-T G.711 PCMU /
 * PCMA, L16 of RFC 3551, ITU-T G.722, Opus when opusscript is installed), the resampler for the rate
 * pairs the media engine uses, and the in-band DTMF detector. Each case runs a bounded number of
 * frames (stopping early after `maxMs`), after a warm-up; the median of several rounds is printed as
 * ns per frame and as the share of one core that 1000 concurrent streams would use.
 *
 * Run: npx tsx test/bench/codecs.bench.ts [maxFrames=100000] [rounds=5]
 */
import { cpus } from 'node:os';
import type { Codec } from '../../src/media/codecs/index.ts';
import { createCodec, isOpusAvailable } from '../../src/media/codecs/index.ts';
import { createDtmfDetector, generateDtmf } from '../../src/media/dtmf/index.ts';
import { createResampler } from '../../src/media/resample/index.ts';

const maxFrames = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 5);
const maxMs = 400;

/** A 20 ms frame of speech-like PCM: two tones and a little noise. */
function frame(rate: number, samples = (rate * 20) / 1000): Int16Array {
  const out = new Int16Array(samples);
  let seed = 12345;
  for (let i = 0; i < samples; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const noise = ((seed >>> 16) % 2001) - 1000;
    out[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate) + 3000 * Math.sin((2 * Math.PI * 1700 * i) / rate) + noise);
  }
  return out;
}

/** Median ns per call of `fn` over `rounds` rounds of at most `maxFrames` calls or `maxMs` each. */
function measure(fn: () => void): number {
  for (let i = 0; i < Math.min(2000, maxFrames); i++) fn();
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(maxMs * 1e6);
    let n = 0;
    let now = start;
    while (n < maxFrames) {
      for (let k = 0; k < 100 && n < maxFrames; k++, n++) fn();
      now = process.hrtime.bigint();
      if (now > deadline) break;
    }
    results.push(Number(now - start) / n);
  }
  results.sort((a, b) => a - b);
  return results[Math.floor(results.length / 2)]!;
}

function report(name: string, ns: number): void {
  // 1000 streams x 50 frames per second, as a percentage of one core.
  const share = (ns * 50 * 1000) / 1e9;
  console.log(`${name.padEnd(34)} ${ns.toFixed(0).padStart(9)} ns/frame   1000 streams: ${(share * 100).toFixed(1).padStart(6)} % of a core`);
}

function benchCodec(name: string, codec: Codec): void {
  const pcm = frame(codec.sampleRate, codec.samplesPerFrame * codec.channels);
  const payload = new Uint8Array(codec.maxPayloadBytes);
  const out = new Int16Array(codec.sampleRate * 0.12 * codec.channels);
  let bytes = codec.encode(pcm, payload);
  report(`${name} encode`, measure(() => (bytes = codec.encode(pcm, payload))));
  const packet = payload.slice(0, bytes);
  report(`${name} decode`, measure(() => codec.decode(packet, out)));
  codec.close();
}

console.log(`codecs.bench: node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, ${maxFrames} frames max x ${rounds} rounds`);
benchCodec('PCMU', createCodec('PCMU'));
benchCodec('PCMA', createCodec('PCMA'));
benchCodec('L16 8k', createCodec('L16'));
benchCodec('L16 48k', createCodec('L16', { sampleRate: 48000 }));
benchCodec('G722', createCodec('G722'));
if (isOpusAvailable()) {
  benchCodec('opus 48k', createCodec('opus'));
  benchCodec('opus 16k', createCodec('opus', { sampleRate: 16000 }));
  benchCodec('opus 16k complexity 5', createCodec('opus', { sampleRate: 16000, complexity: 5 }));
} else {
  console.log('opus: skipped (opusscript is not installed)');
}

for (const [from, to] of [
  [8000, 16000],
  [16000, 8000],
  [8000, 48000],
  [48000, 8000],
  [16000, 48000],
  [48000, 16000],
  [44100, 8000],
  [44100, 16000],
] as const) {
  const r = createResampler(from, to);
  const input = frame(from);
  const output = new Int16Array(r.maxOutput(input.length));
  report(`resample ${from} -> ${to}`, measure(() => r.process(input, output)));
}

{
  const audio = generateDtmf('1234567890*#ABCD', { toneMs: 60, gapMs: 60 });
  let at = 0;
  const d = createDtmfDetector({ onDigit: () => {} });
  report('DTMF detector 8k', measure(() => {
    d.process(audio.subarray(at, at + 160));
    at = (at + 160) % audio.length;
  }));
}
