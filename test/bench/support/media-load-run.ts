/**
 * One window of concurrent calls with media against a server process: sipp places `calls` calls at
 * `rate` (each dialing the next number of a list and streaming a mu-law tone, its SDP pointing the
 * server's media at the RTP sink), an optional callee (a sipp UAS) answers the legs the server places,
 * and once every call is up a window of `measureS` seconds measures RTP at the sink, the server's CPU and
 * memory from /proc and its media threads' tick and mix p99 (the server's media statistics file).
 * Shared by the load benchmarks; every child is bounded by a call count and a deadline.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/ports.ts';
import { runSipp, type SippResult } from '../../support/sipp.ts';
import {
  median, runSink, sampleProc, sampleWindow, scenarioDir, sleep, type LoadWindowResult, type ProcSample, type SinkReport,
} from './load-harness.ts';

/** Ports for the sinks and every sipp (SIP and media), taken from one free block so none collide. */
export interface LoadPorts {
  /** Sink of the media the server sends to the callers (RTCP on the next port). */
  sinkA: number;
  /** Sink of the media the server sends to the callees. */
  sinkB: number;
  uas: number;
  uasMedia: number;
  uac: number;
  uacMedia: number;
}

export async function loadPorts(): Promise<LoadPorts> {
  const block = await freePort('127.0.0.1', 24);
  return { sinkA: block, sinkB: block + 2, uas: block + 4, uasMedia: block + 6, uac: block + 12, uacMedia: block + 14 };
}

/** When things happen, in seconds after the first call is placed. */
export interface LoadTiming {
  rampS: number;
  fromS: number;
  toS: number;
  /** How long each call is held. */
  holdMs: number;
}

export function loadTiming(calls: number, rate: number, measureS: number): LoadTiming {
  const rampS = Math.ceil(calls / rate);
  const fromS = rampS + 5;
  const toS = fromS + measureS;
  return { rampS, fromS, toS, holdMs: (toS + 3) * 1000 };
}

/** Writes sipp's -inf file: the numbers dialed, one per call, in order. */
export function writeNumbers(dir: string, numbers: string[]): string {
  const inf = join(dir, `numbers-${process.pid}-${Date.now()}.csv`);
  writeFileSync(inf, `SEQUENTIAL\n${numbers.map((n) => `${n};`).join('\n')}\n`);
  return inf;
}

export interface MediaThreadLoad {
  sessions: number | undefined;
  rooms: number | undefined;
  lateTicks: number | undefined;
  tickP99Ms: { median: number; max: number };
  mixP99Ms: { median: number; max: number };
}

type Load = { sessions: number; rooms: number; tickP99Ms: number; mixP99Ms: number; lateTicks: number };

/** Reads the media statistics file every 5 s of the window (each reading is the last second's p99). */
export async function readMediaLoads(statsFile: string, startedMs: number, t: LoadTiming): Promise<MediaThreadLoad[]> {
  const readings: Load[][] = [];
  for (let s = t.fromS + 2; s < t.toS; s += 5) {
    await sleep(Math.max(0, startedMs + s * 1000 - performance.now()));
    try {
      (JSON.parse(readFileSync(statsFile, 'utf8')) as { loads: Load[] }).loads.forEach((l, i) => (readings[i] ??= []).push(l));
    } catch {
      // not written yet
    }
  }
  return readings.map((r) => ({
    sessions: r.at(-1)?.sessions, rooms: r.at(-1)?.rooms, lateTicks: r.at(-1)?.lateTicks,
    tickP99Ms: { median: median(r.map((x) => x.tickP99Ms)), max: Math.max(...r.map((x) => x.tickP99Ms)) },
    mixP99Ms: { median: median(r.map((x) => x.mixP99Ms)), max: Math.max(...r.map((x) => x.mixP99Ms)) },
  }));
}

export interface MediaLoadPlan {
  /** sipp's working directory (holds tone.ulaw). */
  dir: string;
  serverPid: number;
  sipPort: number;
  statsFile: string;
  calls: number;
  rate: number;
  measureS: number;
  /** The number each call dials, in order (one per call, or one for all). */
  numbers: string[];
  ports: LoadPorts;
  /** The RTP sink binary (buildSink()). */
  sink: string;
  /** Whether the sink also listens on sinkB (the callees' side). */
  callees: boolean;
  /** The caller scenario in test/bench/scenarios (default media-load-uac.xml). */
  uacScenario?: string;
  /** Starts the callee before the callers (a sipp UAS on ports.uas whose SDP points at sinkB). */
  startUas?: (t: LoadTiming) => Promise<SippResult>;
  /** Further measuring over the same window (e.g. an audio socket receiver), started with the callers. */
  during?: (t: LoadTiming, startedMs: number) => Promise<void>;
}

export interface MediaLoadOutcome {
  uac: SippResult;
  uas: SippResult | undefined;
  rtp: SinkReport;
  idle: ProcSample;
  window: LoadWindowResult;
  mediaThreads: MediaThreadLoad[];
  /** The machine's load averages (1, 5, 15 min) as the callers started. */
  loadAverages: string;
  timing: LoadTiming;
}

/** Starts a sipp UAS on `ports.uas` answering `calls` legs with media-load-uas.xml (its SDP at sinkB). */
export function sippUas(plan: Pick<MediaLoadPlan, 'dir' | 'sipPort' | 'calls' | 'ports'>, t: LoadTiming): Promise<SippResult> {
  return runSipp({
    cwd: plan.dir, timeoutMs: (t.toS + 120) * 1000,
    args: [`127.0.0.1:${plan.sipPort}`, '-sf', `${scenarioDir}/media-load-uas.xml`, '-i', '127.0.0.1', '-p', String(plan.ports.uas),
      '-mp', String(plan.ports.uasMedia), '-key', 'sink_ip', '127.0.0.1', '-key', 'sink_port', String(plan.ports.sinkB),
      '-m', String(plan.calls), '-max_socket', '65000', ...(process.env['LOAD_TRACE'] ? ['-trace_msg'] : [])],
  });
}

/** Runs the calls and the measuring window; resolves once every call has ended (or its deadline passed). */
export async function runMediaLoad(plan: MediaLoadPlan): Promise<MediaLoadOutcome> {
  const t = loadTiming(plan.calls, plan.rate, plan.measureS);
  const { ports } = plan;
  const uas = plan.startUas?.(t);
  await sleep(1000);
  const idle = sampleProc(plan.serverPid);
  const sinkPorts = plan.callees ? [ports.sinkA, ports.sinkA + 1, ports.sinkB, ports.sinkB + 1] : [ports.sinkA, ports.sinkA + 1];
  const measuring = runSink(plan.sink, sinkPorts, t.fromS, t.toS);
  await measuring.ready;
  const loadAverages = loadavg().map((l) => l.toFixed(2)).join(' ');
  const started = performance.now();
  const inf = writeNumbers(plan.dir, plan.numbers);
  const uac = runSipp({
    cwd: plan.dir, timeoutMs: (t.toS + 60) * 1000,
    args: [`127.0.0.1:${plan.sipPort}`, '-sf', `${scenarioDir}/${plan.uacScenario ?? 'media-load-uac.xml'}`,
      '-inf', inf, '-i', '127.0.0.1', '-p', String(ports.uac), '-mp', String(ports.uacMedia),
      '-key', 'sink_ip', '127.0.0.1', '-key', 'sink_port', String(ports.sinkA),
      '-r', String(plan.rate), '-m', String(plan.calls), '-l', String(plan.calls), '-d', String(t.holdMs), '-max_socket', '65000'],
  });
  const [window, mediaThreads] = await Promise.all([
    sampleWindow(plan.serverPid, started, t.fromS, t.toS),
    readMediaLoads(plan.statsFile, started, t),
    plan.during?.(t, started),
  ]);
  const [rtp, uacResult, uasResult] = await Promise.all([measuring.report, uac, uas]);
  return { uac: uacResult, uas: uasResult, rtp, idle, window, mediaThreads, loadAverages, timing: t };
}

export interface ServerFigures {
  coresUsed: number;
  /** Server CPU per second of one call (both legs of a bridged call together). */
  cpuUsPerCallSecond: number;
  idleMiB: number;
  loadMiB: number;
  kibPerCall: number;
}

export function serverFigures(o: MediaLoadOutcome, calls: number): ServerFigures {
  const w = o.window;
  return {
    coresUsed: w.cpuS / w.wallS,
    cpuUsPerCallSecond: (w.cpuS / (calls * w.wallS)) * 1e6,
    idleMiB: o.idle.rssBytes / 2 ** 20,
    loadMiB: w.rssMedian / 2 ** 20,
    kibPerCall: (w.rssMedian - o.idle.rssBytes) / 1024 / calls,
  };
}

/** sipp's counts, for the JSON output. */
export function sippCounts(r: SippResult | undefined): { successful: number; failed: number; exit: number | null } | undefined {
  return r ? { successful: r.successful, failed: r.failed, exit: r.exitCode } : undefined;
}

/** The server's RTP port range for a run: a pair per leg, and room for trunks and pre-bound pairs. */
export function rtpRange(base: number, legs: number): string {
  return `${base}-${base + 2 * legs + 2 * 200 + 400}`;
}
