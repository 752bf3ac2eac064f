/**
 * The N-way mixer: one 200-member room at 8 kHz, 20 ms frames. Times mix() per tick (every member's
 * input already written) and prints the median and p99 against the 20 ms tick budget, for a worst case
 * (every member sends audio) and a typical conference (three talkers, the rest send silence or nothing).
 *
 * Run: npx tsx test/bench/mixer.bench.ts
 * Env: MIXER_BENCH_TICKS (default 3000 per scenario), MIXER_BENCH_MEMBERS (default 200),
 *      MIXER_BENCH_RATE (default 8000).
 */
import { cpus } from 'node:os';
import { Mixer } from '../../src/media/index.ts';

const ticks = Number(process.env['MIXER_BENCH_TICKS'] ?? 3000);
const size = Number(process.env['MIXER_BENCH_MEMBERS'] ?? 200);
const rate = Number(process.env['MIXER_BENCH_RATE'] ?? 8000);

interface Scenario {
  name: string;
  /** Which members write a frame this tick, and whether it is speech (else digital silence). */
  input: (member: number) => 'speech' | 'silence' | 'none';
}

const scenarios: Scenario[] = [
  { name: `${size} members all talking`, input: () => 'speech' },
  { name: `3 talkers, ${size - 3} listening (half send silence)`, input: (i) => (i < 3 ? 'speech' : i % 2 === 0 ? 'silence' : 'none') },
  { name: `3 talkers, 1 whispering coach, ${size - 4} listening`, input: (i) => (i < 4 ? 'speech' : 'none') },
];

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

console.log(`mixer, ${size} members at ${rate} Hz, ${ticks} ticks per scenario, Node ${process.version}, ${cpus()[0]?.model ?? 'cpu'}`);
for (const s of scenarios) {
  const mixer = new Mixer({ sampleRate: rate });
  const members = Array.from({ length: size }, (_, i) => mixer.add(`m${i}`));
  if (s.name.includes('coach')) members[3]!.listeners = new Set([members[0]!]);
  const frames = members.map((_, i) => {
    const f = new Int16Array(mixer.frameSamples);
    for (let k = 0; k < f.length; k++) f[k] = Math.round(3000 * Math.sin((2 * Math.PI * (200 + i * 7) * k) / rate));
    return f;
  });
  const silence = new Int16Array(mixer.frameSamples);
  const times = new Float64Array(ticks);
  const warmup = Math.min(500, ticks);
  for (let t = -warmup; t < ticks; t++) {
    for (let i = 0; i < size; i++) {
      const kind = s.input(i);
      if (kind === 'speech') members[i]!.write(frames[i]!);
      else if (kind === 'silence') members[i]!.write(silence);
    }
    const t0 = performance.now();
    mixer.mix();
    const dt = performance.now() - t0;
    if (t >= 0) times[t] = dt;
  }
  times.sort();
  const median = percentile(times, 0.5);
  const p99 = percentile(times, 0.99);
  console.log(
    `  ${s.name.padEnd(48)} median ${(median * 1000).toFixed(1)} us, p99 ${(p99 * 1000).toFixed(1)} us, max ${(times[ticks - 1]! * 1000).toFixed(1)} us ` +
      `(${((median / 20) * 100).toFixed(2)}% of a 20 ms tick)`,
  );
}
