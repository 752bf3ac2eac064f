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
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/ports.ts';
import { runSipp, sippAvailable } from '../support/sipp.ts';
import { buildSink, scenarioDir, startServerProcess, writeToneUlaw } from './support/load-harness.ts';
import { loadPorts, rtpRange, runMediaLoad, serverFigures, sippCounts, sippUas } from './support/media-load-run.ts';

type Mode = 'playback' | 'bridged' | 'conference';
const mode = (process.env['LOAD_MODE'] ?? 'playback') as Mode;
if (!['playback', 'bridged', 'conference'].includes(mode)) throw new Error(`LOAD_MODE must be playback, bridged or conference, not ${mode}`);
const calls = Number(process.env['LOAD_CALLS'] ?? { playback: 1800, bridged: 800, conference: 1000 }[mode]);
const rate = Number(process.env['LOAD_RATE'] ?? 150);
const measureS = Number(process.env['LOAD_MEASURE_S'] ?? 60);
const workers = Number(process.env['LOAD_WORKERS'] ?? 2);
const bigRoom = Math.min(calls, Number(process.env['LOAD_BIG_ROOM'] ?? 200));

if (!sippAvailable()) throw new Error('sipp (Debian sip-tester) is needed');

const dir = mkdtempSync(join(tmpdir(), 'sb-load-media-'));
writeToneUlaw(dir);

/** The number each call dials, in order. */
function numbers(): string[] {
  if (mode === 'playback') return ['tone'];
  if (mode === 'bridged') return ['1000'];
  const out: string[] = [];
  for (let i = 0; i < calls; i++) out.push(i < bigRoom ? 'conf-big' : `conf-r${Math.floor((i - bigRoom) / 5)}`);
  return out;
}

const sink = buildSink();
const sipPort = await freePort();
const ports = await loadPorts();
const statsFile = join(dir, 'media-load.json');
const rtpBase = Number(process.env['LOAD_RTP_BASE'] ?? 40000);
const legs = mode === 'bridged' ? 2 * calls : calls;
const server = await startServerProcess({
  sip: { listen: `127.0.0.1:${sipPort}`, users: [{ username: '1000', password: 'bench1000' }], floodRate: 100000, floodBurst: 100000 },
  media: { rtpPorts: rtpRange(rtpBase, legs), workers, latching: false, statsFile, prebind: 256 },
  esl: { enabled: false },
  http: { listen: '127.0.0.1:0' },
  log: { level: process.env['LOAD_LOG_LEVEL'] ?? 'warn' },
}, sipPort);

try {
  if (mode === 'bridged') {
    // The registrar sends calls to where the REGISTER came from, so the UAS's own port registers first.
    const reg = await runSipp({ cwd: dir, timeoutMs: 15_000, args: [`127.0.0.1:${sipPort}`, '-sf', `${scenarioDir}/bench-register.xml`,
      '-i', '127.0.0.1', '-p', String(ports.uas), '-key', 'user', '1000', '-key', 'uas_port', String(ports.uas), '-au', '1000', '-ap', 'bench1000', '-m', '1'] });
    if (reg.successful !== 1) throw new Error(`registration of the UAS failed: ${reg.stderr.slice(-500)}`);
  }
  const o = await runMediaLoad({
    dir, serverPid: server.pid, sipPort, statsFile, calls, rate, measureS, ports, sink, callees: mode === 'bridged', numbers: numbers(),
    uacScenario: mode === 'playback' ? 'playback-load.xml' : 'media-load-uac.xml',
    ...(mode === 'bridged' ? { startUas: (t) => sippUas({ dir, sipPort, calls, ports }, t) } : {}),
  });
  const out = {
    bench: `load-media/${mode}`, calls, legs, rate, measureS, workers, loadAverages: o.loadAverages,
    sipp: { uac: sippCounts(o.uac), ...(o.uas ? { uas: sippCounts(o.uas) } : {}) },
    rtp: o.rtp,
    server: { ...serverFigures(o, calls), mediaThreads: o.mediaThreads },
  };
  console.log(JSON.stringify(out, null, 2));
  if (o.uac.failed !== 0 || o.uac.exitCode !== 0) console.error(o.uac.stderr.slice(-1500));
} finally {
  await server.stop();
}
