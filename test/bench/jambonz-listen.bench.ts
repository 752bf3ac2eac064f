/**
 * Parallel `listen` streams: sipp places N calls to a number whose webhook application (hosted here)
 * answers `[{verb: 'listen', url: ws://<receiver>/listen, sampleRate: 8000, mixType: 'mono'}]`; each
 * caller streams a mu-law tone, and the server forks it as binary L16 frames to an audio WebSocket
 * server in a child process (support/audio-ws-receiver.ts) that checks each stream's metadata frame and
 * times every frame. Over a window that starts once every call is up it reports per stream the audio
 * received against the window's length (missing audio), frame inter-arrival p50 / p99 / max, gaps
 * (an inter-arrival longer than LISTEN_GAP_MS), plus failed calls and the server's CPU per
 * stream-second and memory per stream (support/media-load-run.ts), the main thread's share and the busiest
 * other threads' (the media workers; support/audio-thread-cpu.ts). The server runs as its own process
 * (`switchboard start`), fresh for every run. Goal: >= 500 streams with no gap and no missing audio.
 * With LISTEN_PHASES=listen,hold the same calls also run answered and held with no fork
 * (`[{verb: 'answer'}, {verb: 'pause', length: 3600}]`), so the fork's own CPU cost is the difference.
 * LISTEN_PATH_ONLY=1 measures the audio path alone in this process (support/audio-tap-path.ts): media
 * workers, taps and audio sockets, no SIP, tapped and untapped; steadier on a shared machine.
 *
 *   npx tsx test/bench/jambonz-listen.bench.ts
 *   LISTEN_CALLS=500 LISTEN_MEASURE_S=30 LISTEN_RUNS=2 npx tsx test/bench/jambonz-listen.bench.ts
 *   LISTEN_PATH_ONLY=1 LISTEN_CALLS=200 LISTEN_MEASURE_S=10 npx tsx test/bench/jambonz-listen.bench.ts
 *
 * Env: LISTEN_CALLS (default 500), LISTEN_RATE (calls/s, default 100), LISTEN_MEASURE_S (default 60),
 *      LISTEN_RUNS (default 2), LISTEN_GAP_MS (default 60: two 20 ms frames late), LISTEN_TOLERANCE_MS
 *      (audio a stream may lack at the window's edges, default 40), LISTEN_PHASES (default listen; `hold`
 *      as above), LOAD_WORKERS (default 2),
 *      LOAD_RTP_BASE (default 40000), LOAD_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=DIR").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/ports.ts';
import { sippAvailable } from '../support/sipp.ts';
import { AudioReceiverProcess, type ReceiverReport } from './support/audio-receiver-process.ts';
import { runTapPath } from './support/audio-tap-path.ts';
import { sampleThreads, threadCpu, type ThreadCpu } from './support/audio-thread-cpu.ts';
import { startBenchWebhookApp } from './support/bench-webhook-app.ts';
import { buildSink, median, sleep, startServerProcess, writeToneUlaw } from './support/load-harness.ts';
import { loadPorts, rtpRange, runMediaLoad, serverFigures, sippCounts, type MediaLoadOutcome, type ServerFigures } from './support/media-load-run.ts';

const calls = Number(process.env['LISTEN_CALLS'] ?? 500);
const rate = Number(process.env['LISTEN_RATE'] ?? 100);
const measureS = Number(process.env['LISTEN_MEASURE_S'] ?? 60);
const runs = Number(process.env['LISTEN_RUNS'] ?? 2);
const gapMs = Number(process.env['LISTEN_GAP_MS'] ?? 60);
const toleranceMs = Number(process.env['LISTEN_TOLERANCE_MS'] ?? 40);
const workers = Number(process.env['LOAD_WORKERS'] ?? 2);
const rtpBase = Number(process.env['LOAD_RTP_BASE'] ?? 40000);
const SAMPLE_RATE = 8000;
const NUMBER = '7301';
type Phase = 'listen' | 'hold';
const phases = (process.env['LISTEN_PHASES'] ?? 'listen').split(',').map((p) => p.trim()) as Phase[];
for (const p of phases) if (p !== 'listen' && p !== 'hold') throw new Error(`LISTEN_PHASES holds listen and/or hold, not ${p}`);
if (!(calls > 0 && rate > 0 && measureS > 0 && runs > 0 && gapMs > 0 && toleranceMs >= 0)) throw new Error('LISTEN_* settings must be positive');
if (process.env['LISTEN_PATH_ONLY']) {
  await pathOnly();
  process.exit(0);
}
if (!sippAvailable()) throw new Error('sipp (Debian sip-tester) is needed');

/** LISTEN_PATH_ONLY=1: the audio path alone (support/audio-tap-path.ts), tapped and untapped, in turn. */
async function pathOnly(): Promise<void> {
  const recv = await AudioReceiverProcess.start();
  const us = (ms: number): number => Math.round((ms * 1000) / (calls * measureS));
  try {
    console.log(`listen path only: ${calls} sessions in ${workers} media workers, ${measureS} s windows, ${runs} run(s)`);
    for (let i = 0; i < runs; i++) {
      for (const tapped of [true, false]) {
        const r = await runTapPath({ streams: calls, seconds: measureS, workers, receiverPort: recv.port, tapped });
        console.log(`run ${i + 1} ${tapped ? 'tapped  ' : 'untapped'}: ${Math.round(r.chunksPerS)} chunks/s; us per stream-second: main thread ` +
          `${us(r.threads.mainMs)}, busiest other threads ${r.threads.othersMs.slice(0, workers).map(us).join('/')}; load averages ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
      }
    }
  } finally {
    await recv.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'sb-jz-listen-'));
writeToneUlaw(dir);
const sink = buildSink();
const receiver = await AudioReceiverProcess.start();
const app = await startBenchWebhookApp((path) => (path === '/hold'
  ? [{ verb: 'answer' }, { verb: 'pause', length: 3600 }]
  : [{ verb: 'listen', url: `ws://127.0.0.1:${receiver.port}/listen`, sampleRate: SAMPLE_RATE, mixType: 'mono' }]));

interface RunResult { phase: Phase; outcome: MediaLoadOutcome; figures: ServerFigures; audio: ReceiverReport | undefined; threads: ThreadCpu | undefined }

async function runOnce(phase: Phase): Promise<RunResult> {
  const sipPort = await freePort();
  const ports = await loadPorts();
  const statsFile = join(dir, `media-load-listen-${Date.now()}.json`);
  const server = await startServerProcess({
    sip: { listen: `127.0.0.1:${sipPort}`, floodRate: 100000, floodBurst: 100000 },
    media: { rtpPorts: rtpRange(rtpBase, calls), workers, latching: false, statsFile, prebind: 256 },
    esl: { enabled: false },
    http: { listen: '127.0.0.1:0' },
    log: { level: process.env['LOAD_LOG_LEVEL'] ?? 'warn' },
    jambonz: {
      applications: [{ name: 'bench-listen', call_hook: `${app.baseUrl}/${phase}` }],
      phoneNumbers: [{ number: NUMBER, application: 'bench-listen' }],
    },
  }, sipPort);
  let audio: ReceiverReport | undefined;
  let threads: ThreadCpu | undefined;
  try {
    const outcome = await runMediaLoad({
      dir, serverPid: server.pid, sipPort, statsFile, calls, rate, measureS, ports, sink, callees: false, numbers: [NUMBER],
      during: async (t, startedMs) => {
        const wall = performance.timeOrigin + startedMs;
        if (phase === 'listen') receiver.window({ fromMs: wall + t.fromS * 1000, toMs: wall + t.toS * 1000, sampleRate: SAMPLE_RATE, gapMs, toleranceMs });
        await sleep(Math.max(0, startedMs + t.fromS * 1000 - performance.now()));
        const before = sampleThreads(server.pid);
        await sleep(Math.max(0, startedMs + t.toS * 1000 - performance.now()));
        threads = threadCpu(server.pid, before, sampleThreads(server.pid));
        if (phase === 'hold') return;
        await sleep(Math.max(0, startedMs + (t.toS + 1) * 1000 - performance.now()));
        audio = await receiver.report();
      },
    });
    if (!audio && phase === 'listen') throw new Error('no report from the audio receiver');
    return { phase, outcome, figures: serverFigures(outcome, calls), audio, threads };
  } finally {
    await server.stop();
  }
}

const fmt = (n: number | undefined, digits = 1): string => (n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : '-');
/** us of CPU per stream-second of a thread's ms over the window. */
const perStream = (ms: number): number => (ms * 1000) / (calls * measureS);
const threadsLine = (t: ThreadCpu | undefined): string => (t
  ? `main thread ${Math.round(perStream(t.mainMs))} us per call-second, busiest other threads ${t.othersMs.slice(0, workers).map((ms) => Math.round(perStream(ms))).join('/')} us; `
  : '');
const line = (r: RunResult): string => {
  const o = r.outcome;
  const server = `server ${r.figures.coresUsed.toFixed(2)} cores, ${Math.round(r.figures.cpuUsPerCallSecond)} us per call-second ` +
    `(${threadsLine(r.threads)}${Math.round(r.figures.kibPerCall)} KiB per call); load averages before ${o.loadAverages}`;
  if (!r.audio) return `hold: calls ok ${o.uac.successful}/${calls}, failed ${o.uac.failed}; ${server}`;
  const g = r.audio.gaps;
  return `listen: calls ok ${o.uac.successful}/${calls}, failed ${o.uac.failed}; streams ${g?.complete ?? 0} complete of ${r.audio.connections} ` +
    `(metadata ok ${r.audio.metadata.ok}, bad ${r.audio.metadata.bad + r.audio.metadata.missing}); gaps > ${gapMs} ms ${g?.gaps ?? '-'} ` +
    `in ${g?.streamsWithGaps ?? '-'} streams, missing audio ${fmt(g?.missingAudioMs, 0)} ms in ${g?.streamsShort ?? '-'} streams; ` +
    `inter-arrival p50/p99/p99.9/max ${fmt(g?.interArrivalMs.p50)}/${fmt(g?.interArrivalMs.p99)}/${fmt(g?.interArrivalMs.p999)}/${fmt(g?.interArrivalMs.max)} ms; ` +
    `receiver loop delay p99/max ${fmt(r.audio.loopDelayMs.p99)}/${fmt(r.audio.loopDelayMs.max)} ms; ${server}`;
};

process.once('SIGINT', () => void receiver.close().then(() => process.exit(130)));
const results: RunResult[] = [];
try {
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}, node ${process.version}; ${calls} listen streams (8 kHz mono) at ${rate}/s, ` +
    `${measureS} s windows, ${runs} run(s), ${workers} media workers`);
  for (let i = 0; i < runs; i++) {
    for (const phase of phases) {
      const r = await runOnce(phase);
      results.push(r);
      console.log(`run ${i + 1} ${line(r)}`);
      if (process.env['LOAD_JSON']) {
        console.log(JSON.stringify({ phase, uac: sippCounts(r.outcome.uac), audio: r.audio, rtp: r.outcome.rtp, server: r.figures, threads: r.threads, mediaThreads: r.outcome.mediaThreads }, null, 2));
      }
      if (r.outcome.uac.failed !== 0 || r.outcome.uac.exitCode !== 0) console.error(r.outcome.uac.stderr.slice(-1500));
    }
  }
  const of = (phase: Phase): RunResult[] => results.filter((r) => r.phase === phase);
  const med = (phase: Phase, f: (r: RunResult) => number): number => median(of(phase).map(f));
  const cpu = (phase: Phase): number => med(phase, (r) => r.figures.cpuUsPerCallSecond);
  const parts: string[] = [];
  if (phases.includes('listen')) {
    const listened = of('listen');
    const gaps = (r: RunResult): number => r.audio?.gaps?.interArrivalMs.p99 ?? NaN;
    const clean = listened.every((r) => r.audio?.gaps !== undefined && r.audio.gaps.complete === calls && r.audio.gaps.gaps === 0 && r.audio.gaps.missingAudioMs === 0);
    parts.push(`listen: failed ${listened.map((r) => r.outcome.uac.failed).join('/')}, complete streams ${listened.map((r) => r.audio?.gaps?.complete ?? 0).join('/')}, ` +
      `gaps ${listened.map((r) => r.audio?.gaps?.gaps ?? '-').join('/')}, missing audio ${listened.map((r) => fmt(r.audio?.gaps?.missingAudioMs, 0)).join('/')} ms, ` +
      `inter-arrival p99 ${fmt(med('listen', gaps))} ms, max ${fmt(med('listen', (r) => r.audio?.gaps?.interArrivalMs.max ?? NaN))} ms, ` +
      `${Math.round(cpu('listen'))} us per stream-second, ${Math.round(med('listen', (r) => r.figures.kibPerCall))} KiB per stream; ${clean ? 'no gaps' : 'GAPS or missing audio'}`);
  }
  if (phases.includes('hold')) parts.push(`hold (no fork): ${Math.round(cpu('hold'))} us per call-second, failed ${of('hold').map((r) => r.outcome.uac.failed).join('/')}`);
  if (phases.includes('listen') && phases.includes('hold')) parts.push(`the fork costs ${Math.round(cpu('listen') - cpu('hold'))} us per stream-second`);
  console.log(`RESULT jambonz-listen ${calls} streams (medians of ${runs}): ${parts.join('; ')}`);
} finally {
  await app.close();
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
}
