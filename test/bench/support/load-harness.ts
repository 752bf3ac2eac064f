/**
 * Pieces shared by the load benchmarks: the server as a separate process (so its CPU time and memory
 * are its own), the RTP measuring sink (test/bench/tools/rtp-sink.c, built with the system C compiler),
 * and /proc sampling. Everything binds loopback; every child is killed at a deadline.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');
export const scenarioDir = resolve(here, '../scenarios');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Compiles the RTP sink into a temporary directory; returns the binary's path. */
export function buildSink(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sink-'));
  const out = join(dir, 'rtp-sink');
  const cc = spawnSync('cc', ['-O2', '-o', out, resolve(here, '../tools/rtp-sink.c'), '-lm'], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`building rtp-sink failed: ${cc.stderr}`);
  return out;
}

export interface SinkReport {
  window_s: number;
  streams: number;
  received: number;
  expected: number;
  lost: number;
  loss_ratio: number;
  jitter_ms: { p50: number; p99: number; max: number };
  pps_per_stream: { p1: number; p50: number; p99: number };
  total_pps: number;
}

/** Starts the sink; resolves with its report once its window has ended. */
export function runSink(bin: string, ports: number[], fromS: number, toS: number): { ready: Promise<void>; report: Promise<SinkReport> } {
  const child = spawn(bin, ['--bind', '127.0.0.1', '--ports', ports.join(','), '--from', String(fromS), '--to', String(toS)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.includes('listening')) markReady();
  });
  const kill = setTimeout(() => child.kill('SIGKILL'), (toS + 30) * 1000);
  const report = new Promise<SinkReport>((resolveReport, reject) => {
    child.on('close', (code) => {
      clearTimeout(kill);
      if (code !== 0) reject(new Error(`rtp-sink exited ${code}: ${err}`));
      else resolveReport(JSON.parse(out) as SinkReport);
    });
  });
  return { ready, report };
}

export interface ProcSample {
  /** CPU seconds (user + system) used so far. */
  cpuS: number;
  rssBytes: number;
  atMs: number;
}

/** Reads a process's CPU time and resident memory from /proc. */
export function sampleProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  return { cpuS: ticks / 100, rssBytes: rss, atMs: performance.now() };
}

/** CPU seconds (user + system) one thread of a process has used; the main thread's id is the pid. */
export function threadCpuS(pid: number, tid = pid): number {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface ServerProcess {
  pid: number;
  child: ChildProcess;
  sipPort: number;
  stop(): Promise<void>;
}

/** Sends SIP OPTIONS until the server answers (or the deadline passes). */
async function waitForSip(port: number, deadlineMs: number): Promise<void> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const local = sock.address().port;
  let answered = false;
  sock.on('message', () => (answered = true));
  try {
    for (let i = 0; !answered && performance.now() < deadlineMs; i++) {
      const msg = [
        `OPTIONS sip:ping@127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-ping-${i}-${Date.now()}`,
        'Max-Forwards: 70',
        `From: <sip:bench@127.0.0.1:${local}>;tag=p${i}`,
        `To: <sip:ping@127.0.0.1:${port}>`,
        `Call-ID: ping-${i}-${Date.now()}@bench`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      sock.send(msg, port, '127.0.0.1');
      await sleep(200);
    }
  } finally {
    sock.close();
  }
  if (!answered) throw new Error('the server did not answer SIP OPTIONS in time');
}

const BANNER = 'Switchboard is running.';

/** Resolves once the server printed its start-up banner; its output goes on to this process's stdout with LOAD_LOG_LEVEL. */
function waitForBanner(child: ChildProcess, deadlineMs: number): Promise<void> {
  const forward = Boolean(process.env['LOAD_LOG_LEVEL']);
  return new Promise((resolveReady, reject) => {
    let seen = '';
    let ready = false;
    const timer = setTimeout(() => done(new Error('the server did not print its start-up banner in time')), Math.max(0, deadlineMs - performance.now()));
    const done = (err?: Error): void => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolveReady();
    };
    const onExit = (code: number | null): void => done(new Error(`the server exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.stdout?.on('data', (d: Buffer) => {
      if (forward) process.stdout.write(d);
      if (ready) return;
      seen = (seen + d.toString()).slice(-4096);
      if (seen.includes(BANNER)) done();
    });
  });
}

/** Starts `switchboard start --config <file>` as its own Node process with the given configuration. */
export async function startServerProcess(config: Record<string, unknown>, sipPort: number): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-load-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ dataDir: join(dir, 'data'), ...config }));
  const nodeArgs = (process.env['LOAD_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(repoRoot, 'src/cli.ts'), 'start', '--config', file], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the server process did not start');
  // SIP answers OPTIONS (and refuses INVITEs with 480) before the media workers and the application
  // APIs are up; the start-up banner is printed once everything is, so calls wait for it.
  try {
    await waitForBanner(child, performance.now() + 60_000);
    await waitForSip(sipPort, performance.now() + 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    pid,
    child,
    sipPort,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const hard = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(hard);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Median of a list (NaN when empty). */
export function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Writes a raw mu-law tone file (sipp's rtp_stream input) into `dir`; returns its path. */
export function writeToneUlaw(dir: string, hz = 440, seconds = 4): string {
  const rate = 8000;
  const out = Buffer.alloc(rate * seconds);
  for (let i = 0; i < out.length; i++) out[i] = linearToUlaw(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)));
  const path = join(dir, 'tone.ulaw');
  writeFileSync(path, out);
  return path;
}

/** G.711 mu-law compression of one 16-bit sample (ITU-T G.711). */
function linearToUlaw(sample: number): number {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, sample));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export interface LoadWindowResult {
  samples: ProcSample[];
  cpuS: number;
  wallS: number;
  rssMedian: number;
}

/** Samples the server's CPU and memory every 10 s between `fromS` and `toS` after `startedMs`. */
export async function sampleWindow(pid: number, startedMs: number, fromS: number, toS: number): Promise<LoadWindowResult> {
  const at = (s: number): Promise<void> => sleep(Math.max(0, startedMs + s * 1000 - performance.now()));
  const samples: ProcSample[] = [];
  await at(fromS);
  samples.push(sampleProc(pid));
  for (let t = fromS + 10; t < toS; t += 10) {
    await at(t);
    samples.push(sampleProc(pid));
  }
  await at(toS);
  samples.push(sampleProc(pid));
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  return { samples, cpuS: last.cpuS - first.cpuS, wallS: (last.atMs - first.atMs) / 1000, rssMedian: median(samples.map((s) => s.rssBytes)) };
}
