/**
 * Conference members joined through the jambonz `conference` verb against the built-in conference
 * dialplan, measured the same way in the same session (test/bench/support/media-load-run.ts): sipp
 * callers stream a mu-law tone into one room of CONF_BIG_ROOM members and rooms of 5 for the rest; each
 * member's SDP points what it hears (the minus-one mix of its room) at the RTP sink. The called number
 * names the room (`conf-big`, `conf-r<N>`), so callers of one room share a media worker in both phases.
 * The server runs as its own process (`switchboard start`, latching off) for every phase:
 *
 *   verb  a webhook application (hosted here) routed by the pattern /^conf-/ answers
 *         `[{verb: 'conference', name: <room>, beep: false, startConferenceOnEnter: true}]`
 *   raw   the built-in dialplan joins `conf-<room>` (load-media's `conference` mode)
 *
 * Phases alternate CONF_RUNS times each, each on a fresh server. Reported per run: failed calls, RTP
 * loss, packets/s per stream, jitter, server CPU per member-second, memory per member, the media
 * threads' mix p99; then medians (goal: >= 1,000 members with no loss and 50 packets/s per stream).
 *
 *   npx tsx test/bench/jambonz-conference.bench.ts
 *   CONF_MEMBERS=1000 CONF_MEASURE_S=30 CONF_RUNS=2 npx tsx test/bench/jambonz-conference.bench.ts
 *
 * Env: CONF_MEMBERS (default 1000), CONF_BIG_ROOM (default 200), CONF_RATE (calls/s, default 150),
 *      CONF_MEASURE_S (default 60), CONF_RUNS (runs of each phase, default 2), CONF_PHASES (default
 *      raw,verb), LOAD_WORKERS (default 2), LOAD_RTP_BASE (default 40000), LOAD_NODE_ARGS.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/ports.ts';
import { sippAvailable } from '../support/sipp.ts';
import { startBenchWebhookApp } from './support/bench-webhook-app.ts';
import { buildSink, median, startServerProcess, writeToneUlaw } from './support/load-harness.ts';
import { loadPorts, rtpRange, runMediaLoad, serverFigures, sippCounts, type MediaLoadOutcome, type ServerFigures } from './support/media-load-run.ts';

type Phase = 'raw' | 'verb';
const members = Number(process.env['CONF_MEMBERS'] ?? 1000);
const bigRoom = Math.min(members, Number(process.env['CONF_BIG_ROOM'] ?? 200));
const rate = Number(process.env['CONF_RATE'] ?? 150);
const measureS = Number(process.env['CONF_MEASURE_S'] ?? 60);
const runs = Number(process.env['CONF_RUNS'] ?? 2);
const workers = Number(process.env['LOAD_WORKERS'] ?? 2);
const rtpBase = Number(process.env['LOAD_RTP_BASE'] ?? 40000);
const phases = (process.env['CONF_PHASES'] ?? 'raw,verb').split(',').map((p) => p.trim()) as Phase[];
for (const p of phases) if (p !== 'raw' && p !== 'verb') throw new Error(`CONF_PHASES holds raw and/or verb, not ${p}`);
if (!(members > 0 && rate > 0 && measureS > 0 && runs > 0 && bigRoom >= 0)) throw new Error('CONF_MEMBERS, CONF_RATE, CONF_MEASURE_S and CONF_RUNS must be positive');
if (!sippAvailable()) throw new Error('sipp (Debian sip-tester) is needed');

const numbers: string[] = [];
for (let i = 0; i < members; i++) numbers.push(i < bigRoom ? 'conf-big' : `conf-r${Math.floor((i - bigRoom) / 5)}`);
const rooms = new Set(numbers).size;

const dir = mkdtempSync(join(tmpdir(), 'sb-jz-conf-'));
writeToneUlaw(dir);
const sink = buildSink();

/** The room a call asked for: the called number without `conf-` (`to` may be a number or a URI). */
function roomOf(payload: Record<string, unknown>): string {
  const to = typeof payload['to'] === 'string' ? payload['to'] : '';
  const user = /^(?:sips?:)?([^@;]+)/.exec(to)?.[1] ?? '';
  return user.startsWith('conf-') ? user.slice(5) : 'unknown';
}
const app = await startBenchWebhookApp((_path, payload) => [
  { verb: 'conference', name: roomOf(payload), beep: false, startConferenceOnEnter: true },
]);

interface RunResult { phase: Phase; outcome: MediaLoadOutcome; figures: ServerFigures }

async function runPhase(phase: Phase): Promise<RunResult> {
  const sipPort = await freePort();
  const ports = await loadPorts();
  const statsFile = join(dir, `media-load-${phase}-${Date.now()}.json`);
  const server = await startServerProcess({
    sip: { listen: `127.0.0.1:${sipPort}`, floodRate: 100000, floodBurst: 100000 },
    media: { rtpPorts: rtpRange(rtpBase, members), workers, latching: false, statsFile, prebind: 256 },
    esl: { enabled: false },
    http: { listen: '127.0.0.1:0' },
    log: { level: process.env['LOAD_LOG_LEVEL'] ?? 'warn' },
    jambonz: phase === 'verb'
      ? { applications: [{ name: 'bench-conference', call_hook: `${app.baseUrl}/conference` }], patterns: [{ pattern: '/^conf-/', application: 'bench-conference' }] }
      : {},
  }, sipPort);
  try {
    const outcome = await runMediaLoad({ dir, serverPid: server.pid, sipPort, statsFile, calls: members, rate, measureS, ports, sink, callees: false, numbers });
    return { phase, outcome, figures: serverFigures(outcome, members) };
  } finally {
    await server.stop();
  }
}

const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const line = (r: RunResult): string => {
  const o = r.outcome;
  const mix = o.mediaThreads.map((m) => `${fmt(m.mixP99Ms.median)}/${fmt(m.mixP99Ms.max)}`).join(', ');
  return `${r.phase}: members ok ${o.uac.successful}/${members}, failed ${o.uac.failed}; RTP ${o.rtp.streams} streams, ` +
    `lost ${o.rtp.lost} (${(o.rtp.loss_ratio * 100).toFixed(3)} %), pps p1/p50 ${o.rtp.pps_per_stream.p1.toFixed(2)}/${o.rtp.pps_per_stream.p50.toFixed(2)}, ` +
    `jitter p99 ${o.rtp.jitter_ms.p99.toFixed(1)} ms; server ${r.figures.coresUsed.toFixed(2)} cores, ` +
    `${Math.round(r.figures.cpuUsPerCallSecond)} us per member-second, ${Math.round(r.figures.kibPerCall)} KiB per member; ` +
    `mix p99 median/max per thread ${mix} ms; load averages before ${o.loadAverages}`;
};

process.once('SIGINT', () => process.exit(130));
const results: RunResult[] = [];
try {
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}, node ${process.version}; ${members} members in ${rooms} rooms ` +
    `(one of ${bigRoom}) at ${rate}/s, ${measureS} s windows, ${runs} run(s) of ${phases.join(', ')}, ${workers} media workers`);
  for (let i = 0; i < runs; i++) {
    for (const phase of phases) {
      const r = await runPhase(phase);
      results.push(r);
      console.log(`run ${i + 1} ${line(r)}`);
      if (process.env['LOAD_JSON']) {
        console.log(JSON.stringify({ phase, uac: sippCounts(r.outcome.uac), rtp: r.outcome.rtp, server: r.figures, mediaThreads: r.outcome.mediaThreads }, null, 2));
      }
      if (r.outcome.uac.failed !== 0 || r.outcome.uac.exitCode !== 0) console.error(r.outcome.uac.stderr.slice(-1500));
    }
  }
  const of = (phase: Phase): RunResult[] => results.filter((r) => r.phase === phase);
  const med = (phase: Phase, f: (r: RunResult) => number): number => median(of(phase).map(f));
  const summary = phases.map((p) => `${p} ${Math.round(med(p, (r) => r.figures.cpuUsPerCallSecond))} us/member-s, ` +
    `${Math.round(med(p, (r) => r.figures.kibPerCall))} KiB/member, pps p1 ${fmt(med(p, (r) => r.outcome.rtp.pps_per_stream.p1), 2)}, ` +
    `failed ${of(p).map((r) => r.outcome.uac.failed).join('/')}, lost ${of(p).map((r) => r.outcome.rtp.lost).join('/')}`).join('; ');
  const ratio = phases.includes('raw') && phases.includes('verb')
    ? ` ; verb/raw CPU ${(med('verb', (r) => r.figures.cpuUsPerCallSecond) / med('raw', (r) => r.figures.cpuUsPerCallSecond)).toFixed(3)}` : '';
  console.log(`RESULT jambonz-conference ${members} members in ${rooms} rooms (medians of ${runs}): ${summary}${ratio}`);
} finally {
  await app.close();
}
