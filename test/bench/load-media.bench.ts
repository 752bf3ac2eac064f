/**
 * Concurrent calls with media against the server running as its own process, sipp generating the load
 * on the same machine, quality measured at the generator side by an RTP sink (tools/rtp-sink.c: loss per
 * RFC 3550 A.3, interarrival jitter per A.8, packet rate per stream). Every call's SDP points the media
 * the server sends at the sink (sipp's own media ports only send), and the server runs with symmetric RTP
 * latching off so it keeps sending where the SDP says.
 *
 *   LOAD_MODE=playback    sipp calls `tone`: the server plays a tone on every call (it sends, sipp is silent)
 *   LOAD_MODE=bridged     sipp calls 1000, a user registered by a sipp UAS: the server bridges each call to
 *                         the UAS; both sipps stream a mu-law file, the server relays both directions
 *   LOAD_MODE=conference  sipp callers stream into conferences: one room of LOAD_BIG_ROOM members, the rest
 *                         in rooms of 5; every member hears the mix of the others
 *
 * Reported: calls failed (sipp), RTP loss / jitter / packet rate (sink), the server's CPU per call-second
 * and resident memory per call (/proc), and each media thread's tick and mix-phase p99 (the server's
 * media statistics file).
 *
 * Run: npx tsx test/bench/load-media.bench.ts
 * Env: LOAD_MODE (default playback), LOAD_CALLS (calls; conference: members; default 1800 / 800 / 1000),
 *      LOAD_RATE (calls/s, default 150), LOAD_MEASURE_S (default 60), LOAD_WORKERS (media worker threads,
 *      default 2), LOAD_BIG_ROOM (default 200), LOAD_RTP_BASE (first RTP port of the server, default 40000).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/ports.ts';
import { runSipp, sippAvailable, type SippResult } from '../support/sipp.ts';
import {
  buildSink, median, runSink, sampleProc, sampleWindow, scenarioDir, sleep, startServerProcess, writeToneUlaw,
} from './support/load-harness.ts';

type Mode = 'playback' | 'bridged' | 'conference';
const mode = (process.env['LOAD_MODE'] ?? 'playback') as Mode;
if (!['playback', 'bridged', 'conference'].includes(mode)) throw new Error(`LOAD_MODE must be playback, bridged or conference, not ${mode}`);
const calls = Number(process.env['LOAD_CALLS'] ?? { playback: 1800, bridged: 800, conference: 1000 }[mode]);
const rate = Number(process.env['LOAD_RATE'] ?? 150);
const measureS = Number(process.env['LOAD_MEASURE_S'] ?? 60);
const workers = Number(process.env['LOAD_WORKERS'] ?? 2);
const bigRoom = Math.min(calls, Number(process.env['LOAD_BIG_ROOM'] ?? 200));

if (!sippAvailable()) throw new Error('sipp (Debian sip-tester) is needed');

const rampS = Math.ceil(calls / rate);
const fromS = rampS + 5;
const toS = fromS + measureS;
const holdMs = (toS + 3) * 1000;
const dir = mkdtempSync(join(tmpdir(), 'sb-load-media-'));
writeToneUlaw(dir);

/** The number each call dials, one per line (sipp -inf, sequential). */
function numbers(): string[] {
  if (mode === 'playback') return ['tone'];
  if (mode === 'bridged') return ['1000'];
  const out: string[] = [];
  for (let i = 0; i < calls; i++) out.push(i < bigRoom ? 'conf-big' : `conf-r${Math.floor((i - bigRoom) / 5)}`);
  return out;
}
const inf = join(dir, 'numbers.csv');
writeFileSync(inf, `SEQUENTIAL\n${numbers().map((n) => `${n};`).join('\n')}\n`);

const sink = buildSink();
const sipPort = await freePort();
// One block of free ports for the sinks and every sipp (SIP and media ports), so none collide.
const block = await freePort('127.0.0.1', 24);
// Each sink also binds the next port, where the server's RTCP for that stream goes.
const port = { sinkA: block, sinkB: block + 2, uas: block + 4, uasMedia: block + 6, uac: block + 12, uacMedia: block + 14 };
const sinkA = port.sinkA;
const sinkB = port.sinkB;
const statsFile = join(dir, 'media-load.json');
const rtpBase = Number(process.env['LOAD_RTP_BASE'] ?? 40000);
const legs = mode === 'bridged' ? 2 * calls : calls;
const server = await startServerProcess({
  sip: { listen: `127.0.0.1:${sipPort}`, users: [{ username: '1000', password: 'bench1000' }], floodRate: 100000, floodBurst: 100000 },
  media: { rtpPorts: `${rtpBase}-${rtpBase + 2 * legs + 2 * 200 + 400}`, workers, latching: false, statsFile, prebind: 256 },
  esl: { enabled: false },
  http: { listen: '127.0.0.1:0' },
  log: { level: process.env['LOAD_LOG_LEVEL'] ?? 'warn' },
}, sipPort);

const sipp = (args: string[], extra = 60): Promise<SippResult> => runSipp({ cwd: dir, args, timeoutMs: (toS + extra) * 1000 });

try {
  let uas: Promise<SippResult> | undefined;
  if (mode === 'bridged') {
    const uasPort = port.uas;
    // The registrar sends calls to where the REGISTER came from, so the UAS's own port registers first.
    const reg = await runSipp({ cwd: dir, timeoutMs: 15_000, args: [`127.0.0.1:${sipPort}`, '-sf', `${scenarioDir}/bench-register.xml`,
      '-i', '127.0.0.1', '-p', String(uasPort), '-key', 'user', '1000', '-key', 'uas_port', String(uasPort), '-au', '1000', '-ap', 'bench1000', '-m', '1'] });
    if (reg.successful !== 1) throw new Error(`registration of the UAS failed: ${reg.stderr.slice(-500)}`);
    uas = sipp([`127.0.0.1:${sipPort}`, '-sf', `${scenarioDir}/media-load-uas.xml`, '-i', '127.0.0.1', '-p', String(uasPort),
      '-mp', String(port.uasMedia), '-key', 'sink_ip', '127.0.0.1', '-key', 'sink_port', String(sinkB),
      '-m', String(calls), '-max_socket', '65000', ...(process.env['LOAD_TRACE'] ? ['-trace_msg'] : [])], 120);
  }
  await sleep(1000);
  const idle = sampleProc(server.pid);
  const measuring = runSink(sink, mode === 'bridged' ? [sinkA, sinkA + 1, sinkB, sinkB + 1] : [sinkA, sinkA + 1], fromS, toS);
  await measuring.ready;
  const started = performance.now();
  const uac = sipp([`127.0.0.1:${sipPort}`, '-sf', `${scenarioDir}/${mode === 'playback' ? 'playback-load.xml' : 'media-load-uac.xml'}`,
    '-inf', inf, '-i', '127.0.0.1', '-p', String(port.uac), '-mp', String(port.uacMedia),
    '-key', 'sink_ip', '127.0.0.1', '-key', 'sink_port', String(sinkA),
    '-r', String(rate), '-m', String(calls), '-l', String(calls), '-d', String(holdMs), '-max_socket', '65000']);
  // The media threads' load, read every 5 s in the window (each reading is the last second's p99).
  type Load = { sessions: number; rooms: number; tickP99Ms: number; mixP99Ms: number; lateTicks: number };
  const readings: Load[][] = [];
  const readLoads = async (): Promise<void> => {
    for (let t = fromS + 2; t < toS; t += 5) {
      await sleep(Math.max(0, started + t * 1000 - performance.now()));
      try {
        (JSON.parse(readFileSync(statsFile, 'utf8')) as { loads: Load[] }).loads.forEach((l, i) => (readings[i] ??= []).push(l));
      } catch {
        // not written yet
      }
    }
  };
  const summary = (): object[] => readings.map((r) => ({
    sessions: r.at(-1)?.sessions, rooms: r.at(-1)?.rooms, lateTicks: r.at(-1)?.lateTicks,
    tickP99Ms: { median: median(r.map((x) => x.tickP99Ms)), max: Math.max(...r.map((x) => x.tickP99Ms)) },
    mixP99Ms: { median: median(r.map((x) => x.mixP99Ms)), max: Math.max(...r.map((x) => x.mixP99Ms)) },
  }));
  const [window] = await Promise.all([sampleWindow(server.pid, started, fromS, toS), readLoads()]);
  const [report, uacResult, uasResult] = await Promise.all([measuring.report, uac, uas]);
  const out = {
    bench: `load-media/${mode}`, calls, legs, rate, measureS, workers,
    sipp: { uac: { successful: uacResult.successful, failed: uacResult.failed, exit: uacResult.exitCode },
      ...(uasResult ? { uas: { successful: uasResult.successful, failed: uasResult.failed, exit: uasResult.exitCode } } : {}) },
    rtp: report,
    server: {
      coresUsed: window.cpuS / window.wallS,
      cpuUsPerCallSecond: (window.cpuS / (calls * window.wallS)) * 1e6,
      idleMiB: idle.rssBytes / 2 ** 20, loadMiB: window.rssMedian / 2 ** 20,
      kibPerCall: (window.rssMedian - idle.rssBytes) / 1024 / calls,
      mediaThreads: summary(),
    },
  };
  console.log(JSON.stringify(out, null, 2));
  if (uacResult.failed !== 0 || uacResult.exitCode !== 0) console.error(uacResult.stderr.slice(-1500));
} finally {
  await server.stop();
}
