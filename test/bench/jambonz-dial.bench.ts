/**
 * Bridged calls through the jambonz `dial` verb against the raw bridge, measured the same way in the
 * same session (test/bench/support/media-load-run.ts): sipp places N calls to the server, each leg's
 * SDP pointing what the server sends at the RTP sink; a sipp UAS answers the second legs (its SDP at a
 * second sink); both sipps stream a mu-law tone and the server relays both directions (PCMU on both
 * sides). The server runs as its own process (`switchboard start`, latching off) for every phase:
 *
 *   dial  the number runs a webhook application (hosted here) answering
 *         `[{verb: 'dial', target: [{type: 'sip', sipUri: 'sip:bench@<UAS>'}]}]`
 *   raw   the number is user 1000, registered by the same sipp UAS: the built-in dialplan bridges the
 *         call to it (load-media's `bridged` mode)
 *
 * Phases alternate (raw, dial, raw, dial ...) RUNS times each, each on a fresh server. Reported per run:
 * failed calls, RTP loss, packets/s per stream, jitter, server CPU per call-second, memory per call; then
 * the medians and the ratio dial / raw of CPU per call-second (goal: within 10 %).
 *
 *   npx tsx test/bench/jambonz-dial.bench.ts
 *   DIAL_CALLS=800 DIAL_MEASURE_S=30 DIAL_RUNS=2 npx tsx test/bench/jambonz-dial.bench.ts
 *
 * Env: DIAL_CALLS (default 800), DIAL_RATE (calls/s, default 150), DIAL_MEASURE_S (default 60),
 *      DIAL_RUNS (runs of each phase, default 2), DIAL_PHASES (default raw,dial), LOAD_WORKERS (media
 *      worker threads, default 2), LOAD_RTP_BASE (default 40000), LOAD_NODE_ARGS (e.g. --cpu-prof).
 */
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/ports.ts';
import { runSipp, sippAvailable } from '../support/sipp.ts';
import { startBenchWebhookApp } from './support/bench-webhook-app.ts';
import { buildSink, median, scenarioDir, startServerProcess, writeToneUlaw } from './support/load-harness.ts';
import {
  loadPorts, rtpRange, runMediaLoad, serverFigures, sippCounts, sippUas, type MediaLoadOutcome, type ServerFigures,
} from './support/media-load-run.ts';

type Phase = 'raw' | 'dial';
const calls = Number(process.env['DIAL_CALLS'] ?? 800);
const rate = Number(process.env['DIAL_RATE'] ?? 150);
const measureS = Number(process.env['DIAL_MEASURE_S'] ?? 60);
const runs = Number(process.env['DIAL_RUNS'] ?? 2);
const workers = Number(process.env['LOAD_WORKERS'] ?? 2);
const rtpBase = Number(process.env['LOAD_RTP_BASE'] ?? 40000);
const phases = (process.env['DIAL_PHASES'] ?? 'raw,dial').split(',').map((p) => p.trim()) as Phase[];
for (const p of phases) if (p !== 'raw' && p !== 'dial') throw new Error(`DIAL_PHASES holds raw and/or dial, not ${p}`);
if (!(calls > 0 && rate > 0 && measureS > 0 && runs > 0)) throw new Error('DIAL_CALLS, DIAL_RATE, DIAL_MEASURE_S and DIAL_RUNS must be positive');
if (!sippAvailable()) throw new Error('sipp (Debian sip-tester) is needed');

const DIAL_NUMBER = '7201';
const dir = mkdtempSync(join(tmpdir(), 'sb-jz-dial-'));
writeToneUlaw(dir);
const sink = buildSink();
/** Where the dial verb sends the second legs: this run's sipp UAS. */
let uasUri = '';
const app = await startBenchWebhookApp(() => [{ verb: 'dial', target: [{ type: 'sip', sipUri: uasUri }] }]);

interface RunResult { phase: Phase; outcome: MediaLoadOutcome; figures: ServerFigures }

async function runPhase(phase: Phase): Promise<RunResult> {
  const sipPort = await freePort();
  const ports = await loadPorts();
  uasUri = `sip:bench@127.0.0.1:${ports.uas}`;
  const statsFile = join(dir, `media-load-${phase}-${Date.now()}.json`);
  const server = await startServerProcess({
    sip: { listen: `127.0.0.1:${sipPort}`, users: [{ username: '1000', password: 'bench1000' }], floodRate: 100000, floodBurst: 100000 },
    media: { rtpPorts: rtpRange(rtpBase, 2 * calls), workers, latching: false, statsFile, prebind: 256 },
    esl: { enabled: false },
    http: { listen: '127.0.0.1:0' },
    log: { level: process.env['LOAD_LOG_LEVEL'] ?? 'warn' },
    jambonz: {
      applications: [{ name: 'bench-dial', call_hook: `${app.baseUrl}/dial` }],
      phoneNumbers: [{ number: DIAL_NUMBER, application: 'bench-dial' }],
    },
  }, sipPort);
  try {
    if (phase === 'raw') {
      // The registrar sends calls to where the REGISTER came from, so the UAS's own port registers first.
      const reg = await runSipp({ cwd: dir, timeoutMs: 15_000, args: [`127.0.0.1:${sipPort}`, '-sf', `${scenarioDir}/bench-register.xml`,
        '-i', '127.0.0.1', '-p', String(ports.uas), '-key', 'user', '1000', '-key', 'uas_port', String(ports.uas), '-au', '1000', '-ap', 'bench1000', '-m', '1'] });
      if (reg.successful !== 1) throw new Error(`registration of the UAS failed: ${reg.stderr.slice(-500)}`);
    }
    const outcome = await runMediaLoad({
      dir, serverPid: server.pid, sipPort, statsFile, calls, rate, measureS, ports, sink, callees: true,
      numbers: [phase === 'raw' ? '1000' : DIAL_NUMBER],
      startUas: (t) => sippUas({ dir, sipPort, calls, ports }, t),
    });
    return { phase, outcome, figures: serverFigures(outcome, calls) };
  } finally {
    await server.stop();
  }
}

const line = (r: RunResult): string => {
  const o = r.outcome;
  return `${r.phase}: calls ok ${o.uac.successful}/${calls}, failed ${o.uac.failed}/${o.uas?.failed ?? '-'}; RTP ${o.rtp.streams} streams, ` +
    `lost ${o.rtp.lost} (${(o.rtp.loss_ratio * 100).toFixed(3)} %), pps p1/p50 ${o.rtp.pps_per_stream.p1.toFixed(2)}/${o.rtp.pps_per_stream.p50.toFixed(2)}, ` +
    `jitter p99 ${o.rtp.jitter_ms.p99.toFixed(1)} ms; server ${r.figures.coresUsed.toFixed(2)} cores, ` +
    `${Math.round(r.figures.cpuUsPerCallSecond)} us per call-second, ${Math.round(r.figures.kibPerCall)} KiB per call; load averages before ${o.loadAverages}`;
};

process.once('SIGINT', () => process.exit(130));
const results: RunResult[] = [];
try {
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}, node ${process.version}; ${calls} bridged calls at ${rate}/s, ` +
    `${measureS} s windows, ${runs} run(s) of ${phases.join(', ')}, ${workers} media workers`);
  for (let i = 0; i < runs; i++) {
    for (const phase of phases) {
      const r = await runPhase(phase);
      results.push(r);
      console.log(`run ${i + 1} ${line(r)}`);
      if (process.env['LOAD_JSON']) {
        console.log(JSON.stringify({ phase, uac: sippCounts(r.outcome.uac), uas: sippCounts(r.outcome.uas), rtp: r.outcome.rtp,
          server: r.figures, mediaThreads: r.outcome.mediaThreads }, null, 2));
      }
      if (r.outcome.uac.failed !== 0 || r.outcome.uac.exitCode !== 0) console.error(r.outcome.uac.stderr.slice(-1500));
    }
  }
  const med = (phase: Phase, f: (r: RunResult) => number): number => median(results.filter((r) => r.phase === phase).map(f));
  const cpu = (phase: Phase): number => med(phase, (r) => r.figures.cpuUsPerCallSecond);
  const summary = phases.map((p) => `${p} ${Math.round(cpu(p))} us/call-s, ${Math.round(med(p, (r) => r.figures.kibPerCall))} KiB/call, ` +
    `failed ${results.filter((r) => r.phase === p).map((r) => r.outcome.uac.failed + (r.outcome.uas?.failed ?? 0)).join('/')}, ` +
    `lost ${results.filter((r) => r.phase === p).map((r) => r.outcome.rtp.lost).join('/')}`).join('; ');
  const ratio = phases.includes('raw') && phases.includes('dial') ? ` ; dial/raw CPU ${(cpu('dial') / cpu('raw')).toFixed(3)} (goal <= 1.10)` : '';
  console.log(`RESULT jambonz-dial ${calls} calls (medians of ${runs}): ${summary}${ratio}`);
} finally {
  await app.close();
}
