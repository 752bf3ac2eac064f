/**
 * Signalling-only calls per second: sipp's built-in `uac` scenario (INVITE, 200, ACK, BYE, 200; no RTP)
 * against the auto-answering UAS of test/support/test-uas.ts, both on this machine, over UDP on
 * loopback. A binary search finds the highest rate at which every call of a window succeeds with
 * INVITE->200 p99 under 50 ms, then a
 * confirmation run holds that rate for a longer window and reports INVITE->200 latency percentiles.
 *
 *   npx tsx test/bench/sip-cps.bench.ts
 *   SEARCH_WINDOW_S=10 CONFIRM_WINDOW_S=60 MAX_RATE=4000 npx tsx test/bench/sip-cps.bench.ts
 *
 * Every sipp run is bounded by a call count (-m) and a hard timeout.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/ports.ts';
import { runSipp } from '../support/sipp.ts';

const SEARCH_WINDOW_S = Number(process.env.SEARCH_WINDOW_S ?? 10);
const CONFIRM_WINDOW_S = Number(process.env.CONFIRM_WINDOW_S ?? 60);
const MAX_RATE = Number(process.env.MAX_RATE ?? 4000);
const MIN_RATE = Number(process.env.MIN_RATE ?? 100);
/** A rate passes only if INVITE->200 stays under this at the 99th percentile. */
const P99_LIMIT_MS = Number(process.env.P99_LIMIT_MS ?? 50);

interface Outcome {
  rate: number;
  window: number;
  ok: boolean;
  successful: number;
  failed: number;
  retransmissions: number;
  elapsedS: number;
  p50: number;
  p99: number;
  max: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startUas(port: number): Promise<() => void> {
  const script = fileURLToPath(new URL('../support/test-uas.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('UAS did not start')), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return () => child.kill('SIGTERM');
}

async function run(uasPort: number, rate: number, window: number): Promise<Outcome> {
  const calls = Math.round(rate * window);
  const dir = mkdtempSync(join(tmpdir(), 'sb-cps-'));
  const res = await runSipp({
    cwd: dir,
    args: ['-sn', 'uac', `127.0.0.1:${uasPort}`, '-i', '127.0.0.1', '-p', String(await freePort()), '-cp', String(await freePort()),
      '-r', String(rate), '-m', String(calls), '-l', String(Math.max(200, rate * 2)), '-trace_rtt', '-rtt_freq', '1',
      '-max_socket', '60000'],
    timeoutMs: (window + 40) * 1000,
  });
  const rttFile = readdirSync(dir).find((f) => f.endsWith('_rtt.csv'));
  const rtts: number[] = [];
  if (rttFile) {
    for (const line of readFileSync(join(dir, rttFile), 'utf8').split('\n').slice(1)) {
      const ms = Number(line.split(';')[1]);
      if (Number.isFinite(ms)) rtts.push(ms);
    }
  }
  rtts.sort((a, b) => a - b);
  const elapsed = res.stats['ElapsedTime(C)'] ?? '';
  const [h, m, s] = elapsed.split(':').map(Number);
  const elapsedS = (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
  const retransmissions = Number(res.stats['Retransmissions(C)'] ?? 0);
  const p99 = percentile(rtts, 99);
  const ok = res.exitCode === 0 && res.failed === 0 && res.successful === calls && elapsedS <= window * 1.1 + 2 && p99 < P99_LIMIT_MS;
  return {
    rate, window, ok, successful: res.successful, failed: res.failed, retransmissions, elapsedS,
    p50: percentile(rtts, 50), p99, max: rtts.at(-1) ?? NaN,
  };
}

function show(o: Outcome): void {
  console.log(
    `${o.ok ? 'PASS' : 'FAIL'} ${o.rate} calls/s x ${o.window} s: ${o.successful} ok, ${o.failed} failed, ` +
      `${o.retransmissions} retransmissions, ${o.elapsedS} s elapsed, INVITE->200 p50 ${o.p50} ms p99 ${o.p99} ms max ${o.max} ms`,
  );
}

const port = await freePort();
const stop = await startUas(port);
try {
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}, node ${process.version}`);
  let lo = MIN_RATE;
  let hi = MAX_RATE;
  let best: Outcome | undefined;
  const first = await run(port, lo, SEARCH_WINDOW_S);
  show(first);
  if (first.ok) best = first;
  while (best && hi - lo > Math.max(50, lo * 0.05)) {
    const mid = Math.round((lo + hi) / 2);
    const o = await run(port, mid, SEARCH_WINDOW_S);
    show(o);
    if (o.ok) {
      lo = mid;
      best = o;
    } else hi = mid;
    await new Promise((r) => setTimeout(r, 2000));
  }
  if (!best) throw new Error(`even ${MIN_RATE} calls/s failed`);
  let confirmed = await run(port, best.rate, CONFIRM_WINDOW_S);
  show(confirmed);
  while (!confirmed.ok && confirmed.rate > MIN_RATE) {
    await new Promise((r) => setTimeout(r, 2000));
    confirmed = await run(port, Math.round(confirmed.rate * 0.9), CONFIRM_WINDOW_S);
    show(confirmed);
  }
  console.log(`RESULT highest rate with zero failed calls and p99 < ${P99_LIMIT_MS} ms over ${CONFIRM_WINDOW_S} s: ${confirmed.ok ? confirmed.rate : 'none'} calls/s; ` +
    `INVITE->200 p50 ${confirmed.p50} ms, p99 ${confirmed.p99} ms`);
} finally {
  stop();
}
