/**
 * jambonz application calls per second: the server runs as its own process (`switchboard start`) with
 * two applications — a WebSocket app written with `@jambonz/node-client-ws` and a plain HTTP webhook
 * app, both hosted in this process — each answering `say` (a short line, served from the warm offline
 * TTS cache) then `hangup`. sipp calls the number at a fixed rate; each call gets 200, ACK, the spoken
 * line (TEXT, default "Goodbye.", about 0.7 s), then the server's BYE. Reported per app: the rate
 * sustained with no failed call and INVITE->200 latency percentiles (sipp -trace_rtt).
 *
 * The rate steps down from RATE until a window has no failed call and INVITE->200 p99 under
 * P99_LIMIT_MS; that rate then runs RUNS more times and the medians are reported.
 *
 *   npx tsx test/bench/jambonz-cps.bench.ts
 *   RATE=300 WINDOW_S=20 RUNS=2 P99_LIMIT_MS=100 WORKERS=auto APPS=ws,http npx tsx test/bench/jambonz-cps.bench.ts
 *
 * Every sipp run is bounded by a call count (-m) and a hard timeout.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/ports.ts';
import { runSipp } from '../support/sipp.ts';
import { median, sampleProc, scenarioDir, sleep, startServerProcess, threadCpuS } from './support/load-harness.ts';

const RATE = Number(process.env['RATE'] ?? 300);
const WINDOW_S = Number(process.env['WINDOW_S'] ?? 20);
const RUNS = Number(process.env['RUNS'] ?? 2);
/** Media worker threads of the server (0: media on the main thread; unset: the default, `auto`). */
const WORKERS: number | 'auto' = process.env['WORKERS'] === undefined || process.env['WORKERS'] === 'auto' ? 'auto' : Number(process.env['WORKERS']);
const TEXT = process.env['TEXT'] ?? 'Goodbye.';
/** Which apps to measure: `ws`, `http` or both (default), comma-separated. */
const APP_KINDS = (process.env['APPS'] ?? 'ws,http').split(',');
const APPS = ([['ws', 'ws (node-client-ws)', '7001'], ['http', 'http webhook', '7002']] as const)
  .filter(([kind]) => APP_KINDS.includes(kind)).map(([, name, number]) => [name, number] as const);

interface SdkSession extends EventEmitter {
  say(opts: Record<string, unknown>): SdkSession;
  hangup(): SdkSession;
  send(): void;
}
const { createEndpoint } = createRequire(import.meta.url)('@jambonz/node-client-ws') as {
  createEndpoint(opts: { server: ReturnType<typeof createServer> }): (opts: { path: string }) => EventEmitter;
};

const verbs = JSON.stringify([{ verb: 'say', text: TEXT }, { verb: 'hangup' }]);
const web = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url?.startsWith('/status') ? '{}' : verbs);
  });
});
createEndpoint({ server: web })({ path: '/ws' }).on('session:new', (s: SdkSession) => s.say({ text: TEXT }).hangup().send());
await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
const appPort = (web.address() as { port: number }).port;

const sipPort = await freePort();
const server = await startServerProcess({
  sip: { listen: `127.0.0.1:${sipPort}`, floodRate: 100000, floodBurst: 100000 },
  media: { rtpPorts: '32000-39999', prebind: 256, workers: WORKERS },
  esl: { enabled: false },
  http: { listen: '127.0.0.1:0' },
  log: { level: 'warn' },
  jambonz: {
    applications: [
      { name: 'ws', call_hook: `ws://127.0.0.1:${appPort}/ws` },
      { name: 'http', call_hook: `http://127.0.0.1:${appPort}/call`, call_status_hook: `http://127.0.0.1:${appPort}/status` },
    ],
    phoneNumbers: [{ number: '7001', application: 'ws' }, { number: '7002', application: 'http' }],
  },
}, sipPort);

// Picked once: thousands of calls leave many loopback TCP ports in TIME-WAIT for a while.
const sippPorts = { sip: await freePort(), control: await freePort(), media: await freePort('127.0.0.1', 4) };

interface Outcome {
  successful: number; failed: number; elapsedS: number; cps: number; p50: number; p99: number; max: number; load: string;
  /** Server CPU per completed call, ms: the main thread, and the whole process (media workers included). */
  mainMsPerCall: number; processMsPerCall: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(number: string, rate: number, seconds: number): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-jz-cps-'));
  // The machine's load averages (1, 5, 15 min) as the run starts: other jobs may share the cores.
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  const calls = Math.round(rate * seconds);
  const main0 = threadCpuS(server.pid);
  const proc0 = sampleProc(server.pid).cpuS;
  const res = await runSipp({
    cwd: dir,
    args: ['-sf', join(scenarioDir, 'jambonz-say-hangup.xml'), '-s', number, `127.0.0.1:${sipPort}`, '-i', '127.0.0.1',
      '-p', String(sippPorts.sip), '-cp', String(sippPorts.control), '-mp', String(sippPorts.media),
      '-r', String(rate), '-m', String(calls), '-l', String(rate * 10), '-trace_rtt', '-rtt_freq', '1', '-max_socket', '60000'],
    timeoutMs: (seconds + 60) * 1000,
  });
  const perCall = (s: number): number => Math.round((s * 1000 * 100) / Math.max(1, res.successful)) / 100;
  const mainMsPerCall = perCall(threadCpuS(server.pid) - main0);
  const processMsPerCall = perCall(sampleProc(server.pid).cpuS - proc0);
  const rtts: number[] = [];
  const rttFile = readdirSync(dir).find((f) => f.endsWith('_rtt.csv'));
  if (rttFile) {
    for (const line of readFileSync(join(dir, rttFile), 'utf8').split('\n').slice(1)) {
      const ms = Number(line.split(';')[1]);
      if (Number.isFinite(ms)) rtts.push(ms);
    }
  }
  rtts.sort((a, b) => a - b);
  const elapsed = (res.stats['ElapsedTime(C)'] ?? '').split(':').map(Number);
  const elapsedS = (elapsed[0] ?? 0) * 3600 + (elapsed[1] ?? 0) * 60 + (elapsed[2] ?? 0);
  return {
    // Calls are placed over `seconds`; each then lasts the spoken line until the server's BYE.
    successful: res.successful, failed: res.failed, elapsedS,
    cps: res.failed === 0 && res.successful === calls && elapsedS <= seconds + 10 ? rate : Math.round(res.successful / Math.max(1, elapsedS)),
    p50: percentile(rtts, 50), p99: percentile(rtts, 99), max: rtts.at(-1) ?? NaN, load, mainMsPerCall, processMsPerCall,
  };
}

const P99_LIMIT_MS = Number(process.env['P99_LIMIT_MS'] ?? 100);
const STEPS = [1, 0.75, 0.5, 0.35, 0.25, 0.15, 0.1];
const passes = (o: Outcome, rate: number, seconds: number): boolean =>
  o.failed === 0 && o.successful === Math.round(rate * seconds) && o.cps === rate && o.p99 < P99_LIMIT_MS;
process.once('SIGINT', () => void server.stop().then(() => process.exit(130)));
process.once('SIGTERM', () => void server.stop().then(() => process.exit(143)));

try {
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} x${cpus().length}, node ${process.version}; from ${RATE} calls/s down, ${WINDOW_S} s windows, ${RUNS} runs, ${WORKERS} media workers`);
  // Warm-up: the TTS cache gets the line, the WS and HTTP paths get their first connections.
  for (const n of ['7001', '7002']) await run(n, 5, 2);
  for (const [name, number] of APPS) {
    // The highest rate (stepping down from RATE) at which a window has no failed call and p99 < the limit.
    let rate = 0;
    for (const step of STEPS) {
      const r = Math.max(5, Math.round(RATE * step));
      const o = await run(number, r, WINDOW_S);
      console.log(`${name} search ${r} calls/s: ${o.successful} ok, ${o.failed} failed, ${o.elapsedS} s elapsed, INVITE->200 p50 ${o.p50} ms p99 ${o.p99} ms; ` +
        `server CPU/call main ${o.mainMsPerCall} ms, process ${o.processMsPerCall} ms; load before ${o.load}`);
      await sleep(3000);
      if (passes(o, r, WINDOW_S)) {
        rate = r;
        break;
      }
    }
    if (rate === 0) {
      console.log(`RESULT ${name}: no rate passed`);
      continue;
    }
    const runs: Outcome[] = [];
    for (let i = 0; i < RUNS; i++) {
      const o = await run(number, rate, WINDOW_S);
      runs.push(o);
      console.log(`${name} run ${i + 1}: ${o.successful} ok, ${o.failed} failed, ${o.elapsedS} s elapsed, ${o.cps} calls/s sustained, INVITE->200 p50 ${o.p50} ms p99 ${o.p99} ms max ${o.max} ms; ` +
        `server CPU/call main ${o.mainMsPerCall} ms, process ${o.processMsPerCall} ms; load before ${o.load}`);
      await sleep(3000);
    }
    console.log(`RESULT ${name}: ${rate} calls/s; median p50 ${median(runs.map((r) => r.p50))} ms, median p99 ${median(runs.map((r) => r.p99))} ms, ` +
      `failed ${runs.map((r) => r.failed).join('/')}`);
  }
} finally {
  await server.stop();
  web.closeAllConnections();
  web.close();
}
