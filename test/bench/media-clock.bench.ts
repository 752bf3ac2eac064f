/**
 * The media clock on real time: runs it for a bounded time and prints ticks against the ticks due, the
 * drift (how far the last tick is from start + n * 20 ms), lateness percentiles and CPU time, for each
 * timing mode asked for. An optional synthetic load keeps the event loop busy for part of every tick.
 *
 * Run: npx tsx test/bench/media-clock.bench.ts
 * Env: MEDIA_CLOCK_BENCH_SECONDS (default 60, per mode), MEDIA_CLOCK_BENCH_MODES (default "none",
 *      e.g. "none,immediate:1,busy:1" as refine:leadMs), MEDIA_CLOCK_BENCH_LOAD_MS (default 0).
 */
import { cpus } from 'node:os';
import { MediaClock, type MediaClockOptions } from '../../src/media/index.ts';

const seconds = Number(process.env['MEDIA_CLOCK_BENCH_SECONDS'] ?? 60);
const modes = (process.env['MEDIA_CLOCK_BENCH_MODES'] ?? 'none').split(',').map((m) => m.trim()).filter(Boolean);
const loadMs = Number(process.env['MEDIA_CLOCK_BENCH_LOAD_MS'] ?? 0);

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // synthetic media work
  }
}

async function runMode(mode: string): Promise<void> {
  const [refine, lead] = mode.split(':');
  const options: MediaClockOptions = { refine: (refine ?? 'none') as MediaClockOptions['refine'], leadMs: Number(lead ?? 0) };
  const clock = new MediaClock(options);
  let lastIndex = -1;
  let lastAt = 0;
  let lastRanAt = 0;
  clock.subscribe((n, at) => {
    lastIndex = n;
    lastAt = at;
    lastRanAt = performance.now();
    if (loadMs > 0) busy(loadMs);
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  clock.start();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = performance.now() - t0;
  clock.stop();
  const cpu = process.cpuUsage(cpu0);
  const s = clock.stats();
  const expected = Math.floor(elapsed / clock.periodMs) + 1;
  const driftMs = lastRanAt - lastAt;
  const rate = (s.ticks / elapsed) * 1000;
  console.log(
    [
      `mode ${mode.padEnd(12)}`,
      `ticks ${s.ticks}/${expected} (${rate.toFixed(3)}/s, last index ${lastIndex}, skipped ${s.skipped})`,
      `drift at the last tick ${driftMs.toFixed(3)} ms`,
      `lateness p50 ${s.latenessP50Ms.toFixed(1)} ms p99 ${s.latenessP99Ms.toFixed(1)} ms max ${s.latenessMaxMs.toFixed(2)} ms, late(>5 ms) ${s.late}`,
      `CPU ${(((cpu.user + cpu.system) / 1000 / elapsed) * 100).toFixed(2)}% of one core`,
    ].join('\n  '),
  );
  clock.close();
}

console.log(`media clock, ${seconds} s per mode, load ${loadMs} ms/tick, Node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}`);
for (const mode of modes) await runMode(mode);
