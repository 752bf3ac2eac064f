/**
 * Event-socket event delivery: 1, 10 and 50 inbound subscribers (`event plain ALL`) on the whole server
 * while calls run. A publisher connection injects `sendevent CUSTOM bench::load` at a fixed rate
 * (default 1,000 events/s), each stamped with the send time (`X-Sent`, performance.now() in ms);
 * meanwhile a control connection originates calls to sipp (a UAS, test/support/sipp-peer.ts) that
 * sleep 1 s and end, so channel events flow on the same path. Per subscriber: injected events received (none may be lost),
 * gaps in Event-Sequence (every event of ALL must arrive), and delivery latency percentiles.
 * The publisher and the subscribers run in a child process (this file with ROLE=load), so the server
 * has its process to itself; times are performance.timeOrigin + performance.now() (one machine clock).
 *
 *   npx tsx test/bench/esl-events.bench.ts
 *   RATE=1000 DURATION_S=10 SUBSCRIBERS=1,10,50 CALLS_PER_S=5 npx tsx test/bench/esl-events.bench.ts
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startEslServer } from '../support/esl-server.ts';
import { requireSipp, startSippUas } from '../support/sipp-peer.ts';
import { sleep } from '../support/wait.ts';

const RATE = Number(process.env['RATE'] ?? 1000);
const SECONDS = Number(process.env['DURATION_S'] ?? 10);
const SUBSCRIBERS = (process.env['SUBSCRIBERS'] ?? '1,10,50').split(',').map(Number);
const CALLS_PER_S = Number(process.env['CALLS_PER_S'] ?? 5);

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
const wall = (): number => performance.timeOrigin + performance.now();

const SEQ = Buffer.from('\nEvent-Sequence: ');
const SENT = Buffer.from('\nX-Sent: ');

function numberAt(buf: Buffer, from: number): number {
  let n = 0;
  let i = from;
  for (; i < buf.length; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
  }
  return n;
}

/** A raw event-socket client: counts frames, keeps Event-Sequence gaps and X-Sent latencies. */
class Subscriber {
  readonly latencies: number[] = [];
  received = 0;
  events = 0;
  gaps = 0;
  #last = -1;
  #buf: Buffer = Buffer.alloc(0);
  #replies: (() => void)[] = [];

  constructor(readonly socket: Socket) {
    socket.on('data', (c: Buffer) => this.#data(c));
    socket.on('error', () => {});
  }

  static async open(port: number): Promise<Subscriber> {
    const s = connect({ port, host: '127.0.0.1' });
    s.setNoDelay(true);
    const sub = new Subscriber(s);
    await sub.reply(); // auth/request
    s.write('auth ClueCon\n\n');
    await sub.reply();
    return sub;
  }

  reply(): Promise<void> {
    return new Promise((r) => this.#replies.push(r));
  }

  async command(line: string): Promise<void> {
    const p = this.reply();
    this.socket.write(`${line}\n\n`);
    await p;
  }

  #data(chunk: Buffer): void {
    const now = wall();
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    let off = 0;
    for (;;) {
      const end = this.#buf.indexOf('\n\n', off);
      if (end < 0) break;
      const head = this.#buf.toString('latin1', off, end);
      const m = /Content-Length: (\d+)/.exec(head);
      const len = m ? Number(m[1]) : 0;
      if (this.#buf.length < end + 2 + len) break;
      if (head.includes('text/event-plain')) this.#event(this.#buf.subarray(end + 2, end + 2 + len), now);
      else if (head.includes('command/reply') || head.includes('auth/request') || head.includes('api/response')) this.#replies.shift()?.();
      off = end + 2 + len;
    }
    this.#buf = this.#buf.subarray(off);
  }

  #event(body: Buffer, now: number): void {
    this.events++;
    const seq = body.indexOf(SEQ);
    if (seq >= 0) {
      const n = numberAt(body, seq + SEQ.length);
      if (this.#last >= 0 && n !== this.#last + 1) this.gaps += Math.max(0, n - this.#last - 1);
      this.#last = n;
    }
    const sent = body.indexOf(SENT);
    if (sent >= 0) {
      const at = body.toString('latin1', sent + SENT.length, body.indexOf(0x0a, sent + 1));
      this.received++;
      this.latencies.push(now - Number(at));
    }
  }
}

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** ROLE=load: the subscribers and the publisher of one round; prints one JSON line. */
async function load(port: number, subscribers: number): Promise<void> {
  const subs: Subscriber[] = [];
  for (let i = 0; i < subscribers; i++) {
    const s = await Subscriber.open(port);
    await s.command('event plain ALL');
    subs.push(s);
  }
  const pub = await Subscriber.open(port);
  process.stdout.write('ready\n');
  let sent = 0;
  const t0 = performance.now();
  const deadline = t0 + SECONDS * 1000;
  while (performance.now() < deadline) {
    const due = Math.floor(((performance.now() - t0) / 1000) * RATE);
    let batch = '';
    for (; sent < due; sent++) batch += `sendevent CUSTOM\nEvent-Subclass: bench::load\nX-Seq: ${sent}\nX-Sent: ${wall().toFixed(3)}\n\n`;
    if (batch) pub.socket.write(batch);
    await sleep(2);
  }
  // Let the last events drain.
  await sleep(2000);
  const all = subs.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const eventsPerSub = subs.reduce((n, s) => n + s.events, 0) / subs.length;
  for (const s of [...subs, pub]) s.socket.destroy();
  process.stdout.write(`${JSON.stringify({
    subscribers,
    injected: sent,
    'events/sub': Math.round(eventsPerSub),
    'delivered/s': Math.round((eventsPerSub * subscribers) / SECONDS),
    lost: subs.reduce((n, s) => n + (sent - s.received), 0),
    'seq gaps': subs.reduce((n, s) => n + s.gaps, 0),
    'p50 ms': Number(pct(all, 50).toFixed(2)),
    'p99 ms': Number(pct(all, 99).toFixed(2)),
    'max ms': Number(pct(all, 100).toFixed(2)),
  })}\n`);
}

/** One round: the load process runs while calls are originated to sipp from a control connection. */
async function round(port: number, subscribers: number, dial: string): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, ROLE: 'load', ESL_PORT: String(port), ROUND_SUBSCRIBERS: String(subscribers) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const ready = new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('ready\n')) resolve();
  }));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const killer = setTimeout(() => child.kill('SIGKILL'), (SECONDS + 60) * 1000);
  await ready;
  const ctl = await Subscriber.open(port);
  let calls = 0;
  const timer = setInterval(() => {
    if (calls >= Math.floor(CALLS_PER_S * SECONDS)) return;
    calls++;
    ctl.socket.write(`bgapi originate ${dial} &sleep(1000)\n\n`);
  }, 1000 / CALLS_PER_S);
  await exited;
  clearTimeout(killer);
  clearInterval(timer);
  ctl.socket.destroy();
  const line = out.split('\n').find((l) => l.startsWith('{'));
  return { ...(line ? (JSON.parse(line) as Record<string, unknown>) : { subscribers, error: 'no result' }), calls };
}

if (process.env['ROLE'] === 'load') {
  await load(Number(process.env['ESL_PORT']), Number(process.env['ROUND_SUBSCRIBERS']));
  process.exit(0);
}

requireSipp();
const srv = await startEslServer({ rtpPairs: 64 });
const perRound = Math.floor(CALLS_PER_S * SECONDS);
// Exactly the calls the rounds place, so sipp ends by itself; bounded by its timeout otherwise.
const uas = await startSippUas(perRound * SUBSCRIBERS.length, (SECONDS + 20) * SUBSCRIBERS.length * 1000);
const rows = [];
for (const n of SUBSCRIBERS) {
  rows.push(await round(srv.eslPort, n, uas.dialString()));
  for (let i = 0; i < 100 && srv.server.sw.counts().channels > 0; i++) await sleep(100);
}
console.table(rows);
await srv.close();
const sipp = await uas.done;
console.log(`sipp uas: ${sipp.successful} calls answered and ended, ${sipp.failed} failed`);
process.exit(0);
