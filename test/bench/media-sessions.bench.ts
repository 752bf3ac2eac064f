/**
 * Media sessions at scale in ONE process: N sessions in N/2 pairs on loopback UDP, each playing an
 * endless tone (PCMU, 20 ms) to its counterpart, driven by a real (started) MediaClock for a bounded
 * time. Reports CPU use of the process (process.cpuUsage over wall time), media clock tick lateness
 * (p50 / p99 / max, late and skipped ticks), packets sent and received, and loss (sent - received, and
 * the RTP receivers' RFC 3550 A.3 count). Targets 1,000-1,500 sessions per thread.
 *
 * Run: npx tsx test/bench/media-sessions.bench.ts
 * Env: MEDIA_BENCH_SESSIONS (default 500, even), MEDIA_BENCH_SECONDS (default 20, measured after a 2 s
 *      warm-up), MEDIA_BENCH_DECODE=1 (every session also decodes what it receives: jitter buffer +
 *      decoder + a tap, the path recording, in-band DTMF and transcoding take), MEDIA_BENCH_PORT_BASE
 *      (default: random in 40000-49999).
 */
import { cpus } from 'node:os';
import { MediaClock, MediaSession, PortPool, UdpRtpTransport, type AudioSink, type AudioSource, type MediaSessionConfig } from '../../src/media/index.ts';

const n = Math.max(2, Math.floor(Number(process.env['MEDIA_BENCH_SESSIONS'] ?? 500) / 2) * 2);
const seconds = Number(process.env['MEDIA_BENCH_SECONDS'] ?? 20);
const decode = process.env['MEDIA_BENCH_DECODE'] === '1';
const span = n * 2 + 2;
const base = Number(process.env['MEDIA_BENCH_PORT_BASE'] ?? 40000 + 2 * Math.floor((Math.random() * (10000 - span)) / 2));

/** An endless sine from a precomputed period table (a cheap, allocation-free source). */
class Tone implements AudioSource {
  readonly sampleRate = 8000;
  readonly ended = false;
  readonly positionMs = 0;
  readonly #table: Int16Array;
  #pos = 0;

  constructor(freq: number) {
    this.#table = new Int16Array(8000);
    for (let i = 0; i < this.#table.length; i++) this.#table[i] = Math.round(6000 * Math.sin((2 * Math.PI * freq * i) / 8000));
  }

  read(out: Int16Array): number {
    const t = this.#table;
    for (let i = 0; i < out.length; i++) {
      out[i] = t[this.#pos]!;
      this.#pos = this.#pos + 1 === t.length ? 0 : this.#pos + 1;
    }
    return out.length;
  }

  close(): void {}
}

/** Counts samples; keeps nothing. */
class NullSink implements AudioSink {
  readonly sampleRate = 8000;
  samples = 0;
  write(frame: Int16Array): void {
    this.samples += frame.length;
  }
  async close(): Promise<void> {}
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const config: MediaSessionConfig = {
  codec: { name: 'PCMU', pt: 0, clockRate: 8000, sampleRate: 8000, channels: 1 },
  telephoneEventPt: 101,
  ptime: 20,
  direction: 'sendrecv',
};

interface Totals {
  sent: number;
  received: number;
  lost: number;
  decoded: number;
}

function totals(sessions: MediaSession[]): Totals {
  const t: Totals = { sent: 0, received: 0, lost: 0, decoded: 0 };
  for (const s of sessions) {
    const st = s.stats();
    t.sent += st.localPacketsOut;
    t.received += st.audioPacketsIn;
    t.lost += st.packetsLost;
    t.decoded += st.decodedFrames;
  }
  return t;
}

async function main(): Promise<void> {
  const pool = await PortPool.start({
    address: '127.0.0.1',
    portMin: base,
    portMax: base + span - 1,
    prebind: n,
    recvBufferSize: 256 * 1024,
  });
  const clock = new MediaClock();
  const sessions: MediaSession[] = [];
  for (let i = 0; i < n; i++) {
    const port = UdpRtpTransport.open(pool, { rtcpIntervalMs: 5000 });
    const s = new MediaSession({ port, config, clock, inbandDtmf: 'off' });
    if (decode) s.addTap(new NullSink(), 'received');
    sessions.push(s);
  }
  for (let i = 0; i < n; i += 2) {
    const a = sessions[i]!;
    const b = sessions[i + 1]!;
    a.configure({ ...config, remote: { address: '127.0.0.1', port: b.port.localPort } });
    b.configure({ ...config, remote: { address: '127.0.0.1', port: a.port.localPort } });
    a.play(new Tone(400 + (i % 50) * 20));
    b.play(new Tone(1400 + (i % 50) * 20));
  }
  clock.start();
  await sleep(2000);
  const before = totals(sessions);
  clock.resetStats();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const after = totals(sessions);
  const cs = clock.stats();
  clock.stop();
  await sleep(200); // let packets in flight land
  const settled = totals(sessions);

  // Rates over the measured window; loss over the whole run, once the last packets landed.
  const sent = after.sent - before.sent;
  const received = after.received - before.received;
  const lossAll = settled.sent - settled.received;
  const cpuPct = ((cpu.user + cpu.system) / 1000 / wall) * 100;
  const mem = process.memoryUsage();
  const lines = [
    `media sessions: ${n} sessions (${n / 2} pairs, each way a PCMU tone, 20 ms)${decode ? ', every session decoding into a tap' : ''}, ${seconds} s measured`,
    `  Node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}`,
    `  CPU: ${cpuPct.toFixed(1)} % of one core (user ${(cpu.user / 1000 / wall * 100).toFixed(1)} %, system ${(cpu.system / 1000 / wall * 100).toFixed(1)} %), ${(((cpu.user + cpu.system) / (cs.ticks * n)) || 0).toFixed(2)} us per session-tick`,
    `  ticks: ${cs.ticks} (expected ${Math.round(wall / 20)}), lateness p50 ${cs.latenessP50Ms.toFixed(1)} ms, p99 ${cs.latenessP99Ms.toFixed(1)} ms, max ${cs.latenessMaxMs.toFixed(1)} ms, late ${cs.late}, skipped ${cs.skipped}`,
    `  packets in the window: sent ${sent} (${Math.round(sent / (wall / 1000))}/s), received ${received} (${Math.round(received / (wall / 1000))}/s)`,
    `  loss over the whole run: ${lossAll} of ${settled.sent} (${((100 * lossAll) / Math.max(1, settled.sent)).toFixed(3)} %), RTP receivers' A.3 count ${settled.lost}`,
    decode ? `  decoded frames: ${settled.decoded - before.decoded}` : '',
    `  memory: rss ${(mem.rss / 1048576).toFixed(0)} MiB, heap used ${(mem.heapUsed / 1048576).toFixed(0)} MiB`,
  ].filter(Boolean);
  console.log(lines.join('\n'));
  for (const s of sessions) s.close();
  clock.close();
  await sleep(50);
  await pool.close();
}

await main();
