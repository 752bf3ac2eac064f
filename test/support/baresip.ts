/**
 * Runs baresip 1.0.0 (Debian `baresip-core`) as a child process for interop tests: a generated config
 * directory on loopback (net_interface 127.0.0.1, SIP, RTP and ctrl_tcp on free ports), a generated
 * 8 kHz 16-bit tone as the microphone (aufile; baresip hangs up when the file ends, so it is long),
 * the ALSA `null` PCM as the speaker, and the sndfile filter recording each call to
 * `dump-<time>-enc.wav` (sent) and `dump-<time>-dec.wav` (received) in `recordDir`.
 *
 * Control goes through ctrl_tcp: JSON in netstrings (`LEN:{...},`), commands answered by
 * `{"response":true,"ok":...,"data":...,"token":...}`, events pushed as `{"event":true,"type":...}`.
 * The account is added with `uanew` once the control connection is up, so its REGISTER_OK is seen.
 * Every wait has a time limit, and baresip runs with `-t` so it quits on its own even if orphaned.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';
import { sine } from './signals.ts';
import { wavBytes } from './wav-analysis.ts';

export const BARESIP_MODULES = '/usr/lib/baresip/modules';

/** Why baresip cannot run here, or undefined when it can. */
export function baresipUnavailable(): string | undefined {
  const probe = spawnSync('baresip', ['-h'], { encoding: 'utf8', timeout: 5000 });
  if (probe.error) return `baresip is not installed (${probe.error.message}); install the Debian package baresip-core (.ci/run does)`;
  const needed = ['g711.so', 'aufile.so', 'alsa.so', 'sndfile.so', 'ctrl_tcp.so', 'account.so', 'menu.so'];
  const missing = needed.filter((m) => !existsSync(join(BARESIP_MODULES, m)));
  if (missing.length > 0) return `baresip modules missing from ${BARESIP_MODULES}: ${missing.join(', ')}`;
  return undefined;
}

export interface BaresipEvent {
  type: string;
  class?: string;
  accountaor?: string;
  direction?: string;
  peeruri?: string;
  id?: string;
  param?: string;
  /** Date.now() when it arrived. */
  at: number;
  [key: string]: unknown;
}

export interface BaresipResponse {
  ok: boolean;
  data: string;
}

export interface BaresipAccount {
  user: string;
  password: string;
  /** The SIP domain of the AOR (the server's realm). */
  domain: string;
  /** Where REGISTER and INVITE go ("127.0.0.1:5080"). */
  outbound: string;
  /** REGISTER interval in seconds (default 60). */
  regint?: number;
}

export interface BaresipOptions {
  /** A label for messages. */
  name: string;
  /** Frequency of the microphone tone in Hz. */
  toneHz: number;
  /** Seconds of tone in the source file (default 60: longer than any call of a test). */
  toneSeconds?: number;
  /** Peak amplitude of the tone (default 10000 of 32767). */
  toneAmplitude?: number;
  /** Answer incoming calls at once (default true). */
  autoAnswer?: boolean;
  /** baresip quits by itself after this many seconds (default 120). */
  lifetimeSeconds?: number;
}

interface Pending {
  resolve(r: BaresipResponse): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  match(e: BaresipEvent): boolean;
  resolve(e: BaresipEvent): void;
  timer: NodeJS.Timeout;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Splits netstrings (`LEN:payload,`) off the front of a buffer; returns the payloads and the rest. */
export function readNetstrings(buf: Buffer): { messages: string[]; rest: Buffer } {
  const messages: string[] = [];
  let pos = 0;
  for (;;) {
    const colon = buf.indexOf(0x3a, pos);
    if (colon < 0) break;
    const lenText = buf.subarray(pos, colon).toString('latin1');
    if (!/^\d{1,9}$/.test(lenText)) throw new Error(`bad netstring length "${lenText.slice(0, 20)}"`);
    const len = Number(lenText);
    const end = colon + 1 + len;
    if (buf.length < end + 1) break;
    if (buf[end] !== 0x2c) throw new Error('netstring without its trailing comma');
    messages.push(buf.subarray(colon + 1, end).toString('utf8'));
    pos = end + 1;
  }
  return { messages, rest: buf.subarray(pos) };
}

export function netstring(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]);
}

export class Baresip {
  readonly name: string;
  readonly dir: string;
  readonly recordDir: string;
  readonly sipPort: number;
  readonly ctrlPort: number;
  readonly tonePath: string;
  readonly events: BaresipEvent[] = [];
  #child: ChildProcess;
  #exited: Promise<number | null>;
  #exitCode: number | null | undefined;
  #ctrl: Socket | undefined;
  #inbuf = Buffer.alloc(0);
  #token = 0;
  readonly #pending = new Map<string, Pending>();
  readonly #waiters = new Set<Waiter>();
  #output = '';
  #stopped: Promise<void> | undefined;
  readonly #onProcessExit: () => void;

  private constructor(init: { name: string; dir: string; recordDir: string; sipPort: number; ctrlPort: number; tonePath: string; child: ChildProcess }) {
    this.name = init.name;
    this.dir = init.dir;
    this.recordDir = init.recordDir;
    this.sipPort = init.sipPort;
    this.ctrlPort = init.ctrlPort;
    this.tonePath = init.tonePath;
    this.#child = init.child;
    const append = (d: Buffer) => {
      this.#output += d.toString('utf8');
      if (this.#output.length > 200_000) this.#output = this.#output.slice(-100_000);
    };
    this.#child.stdout?.on('data', append);
    this.#child.stderr?.on('data', append);
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', (code) => {
        this.#exitCode = code;
        resolve(code);
      });
      this.#child.once('error', (err) => {
        this.#output += `\n[spawn error: ${err.message}]\n`;
        this.#exitCode = null;
        resolve(null);
      });
    });
    this.#onProcessExit = () => this.#child.kill('SIGKILL');
    process.once('exit', this.#onProcessExit);
  }

  /** Starts baresip and connects to its ctrl_tcp; throws (after killing it) when either fails. */
  static async start(options: BaresipOptions): Promise<Baresip> {
    const unavailable = baresipUnavailable();
    if (unavailable) throw new Error(unavailable);
    const dir = mkdtempSync(join(tmpdir(), `sb-baresip-${options.name}-`));
    const recordDir = join(dir, 'rec');
    mkdirSync(recordDir);
    const tonePath = join(dir, 'tone.wav');
    const rate = 8000;
    const seconds = options.toneSeconds ?? 60;
    writeFileSync(tonePath, wavBytes(sine(options.toneHz, rate, rate * seconds, options.toneAmplitude ?? 10000), rate));
    const sipPort = await freePort();
    const ctrlPort = await freePort();
    const rtpSpan = 16;
    const rtpBase = await freePort('127.0.0.1', rtpSpan + 1);
    const rtpLow = rtpBase + (rtpBase & 1);
    const config = [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${sipPort}`,
      'net_interface 127.0.0.1',
      'audio_player alsa,null',
      'audio_alert alsa,null',
      `audio_source aufile,${tonePath}`,
      'audio_srate 8000',
      'audio_channels 1',
      `rtp_ports ${rtpLow}-${rtpLow + rtpSpan - 1}`,
      `module_path ${BARESIP_MODULES}`,
      'module g711.so',
      'module aufile.so',
      'module alsa.so',
      'module sndfile.so',
      'module ctrl_tcp.so',
      'module_app account.so',
      'module_app menu.so',
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      `snd_path ${recordDir}`,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'config'), config);
    // No account at start: it is added with uanew once ctrl_tcp listens, so REGISTER_OK is not missed.
    writeFileSync(join(dir, 'accounts'), '');
    writeFileSync(join(dir, 'contacts'), '');
    const child = spawn('baresip', ['-f', dir, '-t', String(options.lifetimeSeconds ?? 120)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: dir },
    });
    const b = new Baresip({ name: options.name, dir, recordDir, sipPort, ctrlPort, tonePath, child });
    try {
      await b.#connect(10_000);
    } catch (err) {
      await b.stop();
      throw new Error(`baresip ${options.name} did not start: ${err instanceof Error ? err.message : String(err)}\n${b.output.slice(-3000)}`);
    }
    b.autoAnswer = options.autoAnswer ?? true;
    return b;
  }

  /** Whether the account is added with answermode=auto. */
  autoAnswer = true;

  /** Everything baresip printed so far (the tail, for failure messages). */
  get output(): string {
    return this.#output;
  }

  get exited(): boolean {
    return this.#exitCode !== undefined;
  }

  async #connect(timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < end) {
      if (this.exited) throw new Error(`baresip exited with ${String(this.#exitCode)}`);
      try {
        const sock = await new Promise<Socket>((resolve, reject) => {
          const s = connect({ host: '127.0.0.1', port: this.ctrlPort });
          s.once('connect', () => {
            s.off('error', reject);
            resolve(s);
          });
          s.once('error', reject);
        });
        this.#ctrl = sock;
        sock.on('data', (d: Buffer) => this.#onData(d));
        sock.on('error', () => undefined);
        sock.on('close', () => {
          for (const [token, p] of this.#pending) {
            clearTimeout(p.timer);
            p.reject(new Error(`ctrl_tcp of ${this.name} closed`));
            this.#pending.delete(token);
          }
        });
        return;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
        await sleep(50);
      }
    }
    throw new Error(`no ctrl_tcp on 127.0.0.1:${this.ctrlPort} after ${timeoutMs} ms (${last})`);
  }

  #onData(d: Buffer): void {
    this.#inbuf = Buffer.concat([this.#inbuf, d]);
    let parsed: { messages: string[]; rest: Buffer };
    try {
      parsed = readNetstrings(this.#inbuf);
    } catch (err) {
      this.#output += `\n[ctrl_tcp framing error: ${err instanceof Error ? err.message : String(err)}]\n`;
      this.#inbuf = Buffer.alloc(0);
      return;
    }
    this.#inbuf = Buffer.from(parsed.rest);
    for (const text of parsed.messages) {
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        this.#output += `\n[ctrl_tcp non-JSON message: ${text.slice(0, 200)}]\n`;
        continue;
      }
      if (typeof msg !== 'object' || msg === null) continue;
      const m = msg as Record<string, unknown>;
      if (m['response'] === true) {
        const token = typeof m['token'] === 'string' ? m['token'] : '';
        const p = this.#pending.get(token);
        if (p) {
          clearTimeout(p.timer);
          this.#pending.delete(token);
          p.resolve({ ok: m['ok'] === true, data: typeof m['data'] === 'string' ? m['data'] : '' });
        }
      } else if (m['event'] === true && typeof m['type'] === 'string') {
        const e = { ...m, type: m['type'], at: Date.now() } as BaresipEvent;
        this.events.push(e);
        for (const w of [...this.#waiters]) {
          if (w.match(e)) {
            this.#waiters.delete(w);
            w.resolve(e);
          }
        }
      }
    }
  }

  /** Sends one ctrl_tcp command and waits for its response. */
  command(command: string, params?: string, timeoutMs = 5000): Promise<BaresipResponse> {
    const sock = this.#ctrl;
    if (!sock || sock.destroyed) return Promise.reject(new Error(`ctrl_tcp of ${this.name} is not connected`));
    const token = `t${++this.#token}`;
    const body = JSON.stringify(params === undefined ? { command, token } : { command, params, token });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(token);
        reject(new Error(`baresip ${this.name}: no response to "${command}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(token, { resolve, reject, timer });
      sock.write(netstring(body));
    });
  }

  /**
   * Resolves with the first event of `type` (one of them, when a list; matching `where`) that arrived
   * at or after `since` (default: any time, including events already received); rejects after `timeoutMs`.
   */
  waitFor(type: string | readonly string[], opts: { timeoutMs?: number; since?: number; where?: (e: BaresipEvent) => boolean } = {}): Promise<BaresipEvent> {
    const types = typeof type === 'string' ? [type] : type;
    const since = opts.since ?? 0;
    const match = (e: BaresipEvent) => types.includes(e.type) && e.at >= since && (opts.where?.(e) ?? true);
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    const timeoutMs = opts.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (e) => {
          clearTimeout(waiter.timer);
          resolve(e);
        },
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          const got = this.events.map((e) => `${e.type}${e.param ? `(${e.param})` : ''}`).join(', ');
          reject(new Error(`baresip ${this.name}: no ${types.join('/')} within ${timeoutMs} ms; events so far: [${got}]\n${this.#output.slice(-3000)}`));
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  /** The account line for an AOR registered through `outbound`. */
  accountLine(account: BaresipAccount): string {
    const params = [
      `auth_pass=${account.password}`,
      `outbound="sip:${account.outbound}"`,
      `regint=${account.regint ?? 60}`,
      `answermode=${this.autoAnswer ? 'auto' : 'manual'}`,
      'audio_codecs=PCMU',
    ];
    return `<sip:${account.user}@${account.domain}>;${params.join(';')}`;
  }

  /** Adds the account and waits for its REGISTER_OK (REGISTER_FAIL rejects at once). */
  async register(account: BaresipAccount, timeoutMs = 10_000): Promise<BaresipEvent> {
    const since = Date.now();
    const res = await this.command('uanew', this.accountLine(account));
    if (!res.ok) throw new Error(`baresip ${this.name}: uanew failed: ${res.data}`);
    const e = await this.waitFor(['REGISTER_OK', 'REGISTER_FAIL'], { since, timeoutMs });
    if (e.type !== 'REGISTER_OK') throw new Error(`baresip ${this.name}: ${e.type} ${e.param ?? ''}\n${this.#output.slice(-3000)}`);
    return e;
  }

  /** Adds an account that does not register (regint=0), for calls only. */
  async addAccount(account: BaresipAccount): Promise<void> {
    const res = await this.command('uanew', this.accountLine({ ...account, regint: 0 }));
    if (!res.ok) throw new Error(`baresip ${this.name}: uanew failed: ${res.data}`);
  }

  /** Dials `uri` (a full SIP URI, or a user part completed with the account's domain). */
  async dial(uri: string): Promise<void> {
    const res = await this.command('dial', uri);
    if (!res.ok) throw new Error(`baresip ${this.name}: dial ${uri} failed: ${res.data}`);
  }

  async hangup(): Promise<void> {
    const res = await this.command('hangup');
    if (!res.ok) throw new Error(`baresip ${this.name}: hangup failed: ${res.data}`);
  }

  /** The sndfile recordings of the calls so far: `{ enc, dec }` pairs, oldest first. */
  recordings(): { enc: string; dec: string }[] {
    const files = existsSync(this.recordDir) ? readdirSync(this.recordDir) : [];
    return files
      .filter((f) => /^dump-.*-dec\.wav$/.test(f))
      .sort()
      .map((f) => ({ dec: join(this.recordDir, f), enc: join(this.recordDir, f.replace(/-dec\.wav$/, '-enc.wav')) }));
  }

  /** Quits baresip (ctrl_tcp `quit`, then SIGTERM, then SIGKILL) and removes its directory. Idempotent. */
  stop(opts: { keepDir?: boolean } = {}): Promise<void> {
    this.#stopped ??= (async () => {
      for (const w of this.#waiters) clearTimeout(w.timer);
      this.#waiters.clear();
      if (!this.exited && this.#ctrl && !this.#ctrl.destroyed) {
        this.#ctrl.write(netstring(JSON.stringify({ command: 'quit', token: 'quit' })));
      }
      const waitExit = (ms: number) => Promise.race([this.#exited.then(() => true), sleep(ms).then(() => false)]);
      if (!(await waitExit(2000))) {
        this.#child.kill('SIGTERM');
        if (!(await waitExit(2000))) {
          this.#child.kill('SIGKILL');
          await waitExit(2000);
        }
      }
      this.#ctrl?.destroy();
      process.off('exit', this.#onProcessExit);
      if (!opts.keepDir) rmSync(this.dir, { recursive: true, force: true });
    })();
    return this.#stopped;
  }
}
