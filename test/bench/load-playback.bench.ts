/**
 * Concurrent playback calls. sipp (uac, scenarios/playback-load.xml) places LOAD_CALLS calls to the
 * server's `tone` number at LOAD_RATE calls/s and holds each; every call's SDP points its media at the
 * measuring sink (tools/rtp-sink.c), so the server sends 50 packets/s per call to it. Measured over a
 * window once every call is up: calls failed (sipp), RTP loss, interarrival jitter and packet rate per
 * stream (the sink, RFC 3550 A.3/A.8), the server process's CPU time per call-second and resident memory
 * per call (/proc). sipp, the sink and the server share the machine's cores.
 *
 * Run: npx tsx test/bench/load-playback.bench.ts
 * Env: LOAD_CALLS (default 1800), LOAD_RATE (calls/s, default 150), LOAD_MEASURE_S (default 60),
 *      LOAD_WORKERS (media worker threads in the server; default: the server's own default),
 *      LOAD_SERVICE (number called, default tone).
 */
import { freePort } from '../support/ports.ts';
import { runSipp, sippAvailable } from '../support/sipp.ts';
import { buildSink, median, runSink, sampleProc, scenarioDir, sleep, startServerProcess, type ProcSample } from './support/load-harness.ts';

const calls = Number(process.env['LOAD_CALLS'] ?? 1800);
const rate = Number(process.env['LOAD_RATE'] ?? 150);
const measureS = Number(process.env['LOAD_MEASURE_S'] ?? 60);
const workers = process.env['LOAD_WORKERS'];
const service = process.env['LOAD_SERVICE'] ?? 'tone';

if (!sippAvailable()) throw new Error('sipp (Debian sip-tester) is needed');

const rampS = Math.ceil(calls / rate);
const settleS = 4;
const fromS = rampS + settleS;
const toS = fromS + measureS;
const holdMs = (toS + 3) * 1000;

const sink = buildSink();
const sipPort = await freePort();
const sinkPort = await freePort();
const rtpLow = 30000;
const rtpHigh = rtpLow + 2 * calls + 400;
const server = await startServerProcess({
  sip: { listen: `127.0.0.1:${sipPort}` },
  media: { rtpPorts: `${rtpLow}-${rtpHigh}`, ...(workers === undefined ? {} : { workers: Number(workers) }) },
  esl: { enabled: false },
  log: { level: 'warn' },
}, sipPort);

try {
  await sleep(1000);
  const idle = sampleProc(server.pid);
  const measuring = runSink(sink, [sinkPort], fromS, toS);
  await measuring.ready;
  const started = performance.now();
  const sipp = runSipp({
    args: [
      `127.0.0.1:${sipPort}`, '-sf', `${scenarioDir}/playback-load.xml`, '-s', service, '-i', '127.0.0.1', '-p', String(await freePort()),
      '-key', 'sink_ip', '127.0.0.1', '-key', 'sink_port', String(sinkPort),
      '-r', String(rate), '-m', String(calls), '-l', String(calls), '-d', String(holdMs), '-max_socket', '65000',
    ],
    timeoutMs: (toS + 120) * 1000,
  });
  const samples: ProcSample[] = [];
  const at = (s: number): Promise<void> => sleep(Math.max(0, started + s * 1000 - performance.now()));
  await at(fromS);
  samples.push(sampleProc(server.pid));
  for (let t = fromS + 10; t < toS; t += 10) {
    await at(t);
    samples.push(sampleProc(server.pid));
  }
  await at(toS);
  samples.push(sampleProc(server.pid));
  const [report, result] = await Promise.all([measuring.report, sipp]);
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const wallS = (last.atMs - first.atMs) / 1000;
  const cpuS = last.cpuS - first.cpuS;
  const rssLoad = median(samples.map((s) => s.rssBytes));
  const out = {
    bench: 'load-playback',
    calls,
    rate,
    measureS,
    workers: workers ?? 'default',
    sipp: { successful: result.successful, failed: result.failed, exit: result.exitCode },
    rtp: report,
    serverCpu: { coresUsed: cpuS / wallS, usPerCallSecond: (cpuS / (calls * wallS)) * 1e6 },
    serverMemory: { idleMiB: idle.rssBytes / 2 ** 20, loadMiB: rssLoad / 2 ** 20, kibPerCall: (rssLoad - idle.rssBytes) / 1024 / calls },
  };
  console.log(JSON.stringify(out, null, 2));
  if (result.failed !== 0 || result.exitCode !== 0) console.error(result.stderr.slice(-2000));
} finally {
  await server.stop();
}
