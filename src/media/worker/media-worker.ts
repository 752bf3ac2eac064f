/**
 * The core thread's handle on one media worker (worker-main.ts): posts commands with a sequence number
 * and routes what comes back — replies to their callers, events to the session or room they name,
 * statistics to the sessions' caches — and keeps a small stock of port numbers the worker has set aside,
 * so a session's port is known synchronously (for SDP) while the worker opens it.
 */
import { Worker } from 'node:worker_threads';
import { errorMessage, type Logger } from '../../lib/index.ts';
import { RtpError } from '../rtp/index.ts';
import type { MediaCommand, MediaEventMessage, MediaSessionStats, SessionOpened } from '../session/index.ts';
import { MediaSessionError } from '../session/index.ts';
import { splitTapBatch } from './tap-batch.ts';
import type { FromWorker, MediaWorkerData, ToWorker } from './worker-protocol.ts';

/** Receives the events of one session or room, and (sessions) their statistics. */
export interface MediaEventTarget {
  onMediaEvent(message: MediaEventMessage): void;
  onStats?(stats: MediaSessionStats): void;
  /** Chunks of an audio tap (registered as `audio:<tapId>`): arrays of their own unless `sharedChunks`. */
  onAudio?(pcm: Int16Array): void;
  /** onAudio takes views into the buffer of the worker's batch (it reads them at once, keeps and transfers none). */
  sharedChunks?: boolean;
}

/** A worker's last statistics period: sessions and rooms it runs, tick and mix-phase work p99, late ticks so far. */
export interface WorkerLoad {
  sessions: number;
  rooms: number;
  tickP99Ms: number;
  mixP99Ms: number;
  lateTicks: number;
}

type Result = SessionOpened | MediaSessionStats | boolean | undefined;

interface Pending {
  op: string;
  resolve?: (r: Result) => void;
  reject?: (e: Error) => void;
}

/** The `closed` reason of every session and room of a worker thread that ended unexpectedly. */
export const WORKER_EXITED = 'media worker exited';

/** Port numbers kept in stock, and how many more to ask for when it runs low. */
const RESERVE_LOW = 48;
const RESERVE_BATCH = 128;
const START_TIMEOUT_MS = 30_000;

export class MediaWorker {
  readonly index: number;
  readonly address: string;
  readonly #worker: Worker;
  readonly #log: Logger;
  readonly #pending = new Map<number, Pending>();
  readonly #targets = new Map<string, MediaEventTarget>();
  readonly #ports: number[] = [];
  #seq = 0;
  #asking = false;
  #placed = 0;
  #closed = false;
  #exited = false;
  #onClosed: (() => void) | undefined;
  /** The worker's last load report. */
  load: WorkerLoad = { sessions: 0, rooms: 0, tickP99Ms: 0, mixP99Ms: 0, lateTicks: 0 };

  private constructor(worker: Worker, index: number, address: string, log: Logger) {
    this.#worker = worker;
    this.index = index;
    this.address = address;
    this.#log = log;
    worker.on('message', (m: FromWorker) => this.#receive(m));
  }

  /** Starts a worker and waits until its port pool is bound and it has set ports aside. */
  static async start(data: MediaWorkerData, log: Logger): Promise<MediaWorker> {
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: data });
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('media worker did not start in time')), START_TIMEOUT_MS);
      const fail = (err: Error): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        void worker.terminate();
        reject(new MediaSessionError('MEDIA_WORKER', `media worker ${data.index}: ${err.message}`, { cause: err }));
      };
      const onMessage = (m: FromWorker): void => {
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', fail);
        resolve(m.address);
      };
      worker.on('message', onMessage);
      worker.once('error', fail);
    });
    const mw = new MediaWorker(worker, data.index, address, log.child({ worker: data.index }));
    worker.on('error', (err) => mw.#log.error({ err: err.message }, 'media worker failed'));
    worker.on('exit', (code) => mw.#exit(code));
    await mw.#refill(true);
    return mw;
  }

  /** Sessions placed on this worker by the core (its own count, up to date between load reports). */
  get placed(): number {
    return this.#placed;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** A port pair the worker has set aside, for `session.open { port }`; throws MEDIA_NO_PORT when none is. */
  takePort(): number {
    const port = this.#ports.pop();
    if (this.#ports.length < RESERVE_LOW) void this.#refill(false);
    if (port === undefined) throw new RtpError('MEDIA_NO_PORT', `media worker ${this.index} has no RTP port free`);
    return port;
  }

  /** Routes a session's or room's events (and a session's statistics) to `target` until `forget`. */
  register(key: string, target: MediaEventTarget): void {
    this.#targets.set(key, target);
  }

  forget(key: string): void {
    this.#targets.delete(key);
  }

  countSession(delta: 1 | -1): void {
    this.#placed = Math.max(0, this.#placed + delta);
  }

  /** Posts a stream message (stream.open / push / close); pushed audio's buffer is transferred. */
  stream(message: Extract<ToWorker, { type: 'stream.open' | 'stream.push' | 'stream.close' }>): void {
    if (this.#closed || this.#exited) return;
    if (message.type === 'stream.push' && message.pcm) this.#worker.postMessage(message, [message.pcm.buffer as ArrayBuffer]);
    else this.#worker.postMessage(message);
  }

  /** Posts a command; a failure is logged (use call() to handle it). */
  post(command: MediaCommand): void {
    this.#send(command, { op: command.op });
  }

  /** Posts a command and resolves with its result (rejects with the worker's error code and message). */
  call(command: MediaCommand): Promise<Result> {
    return new Promise((resolve, reject) => this.#send(command, { op: command.op, resolve, reject }));
  }

  /** Closes every session and room in the worker, unbinds its ports and ends the thread. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#exited) return;
    const done = new Promise<void>((resolve) => (this.#onClosed = resolve));
    this.#worker.postMessage({ type: 'close' } satisfies ToWorker);
    const timer = setTimeout(() => void this.#worker.terminate(), 5000);
    await Promise.race([done, new Promise<void>((r) => this.#worker.once('exit', () => r()))]);
    clearTimeout(timer);
    await this.#worker.terminate();
  }

  #send(command: MediaCommand, pending: Pending): void {
    if (this.#closed || this.#exited) {
      pending.reject?.(new MediaSessionError('MEDIA_SESSION_CLOSED', `media worker ${this.index} is closed`));
      return;
    }
    const seq = ++this.#seq;
    this.#pending.set(seq, pending);
    this.#worker.postMessage({ type: 'command', seq, command } satisfies ToWorker);
  }

  #refill(initial: boolean): Promise<void> {
    if (this.#asking || this.#closed) return Promise.resolve();
    this.#asking = true;
    return new Promise((resolve) => {
      this.#afterReserve = () => {
        this.#asking = false;
        resolve();
      };
      this.#worker.postMessage({ type: 'reserve', count: initial ? 2 * RESERVE_BATCH : RESERVE_BATCH } satisfies ToWorker);
    });
  }

  #afterReserve: (() => void) | undefined;

  #receive(m: FromWorker): void {
    switch (m.type) {
      case 'reply': {
        const p = this.#pending.get(m.seq);
        this.#pending.delete(m.seq);
        if (!p) return;
        if (m.ok) p.resolve?.(m.result);
        else if (p.reject) p.reject(Object.assign(new MediaSessionError('MEDIA_WORKER', m.message), { code: m.code }));
        else this.#log.info({ op: p.op, code: m.code, err: m.message }, 'media command failed');
        return;
      }
      case 'event':
        this.#event(m.message);
        return;
      case 'reserved':
        // Newest last: pop() hands out the most recently bound ports first within a batch.
        this.#ports.unshift(...m.ports);
        this.#afterReserve?.();
        this.#afterReserve = undefined;
        return;
      case 'audio':
        splitTapBatch(m, this.#deliverAudio);
        return;
      case 'load':
        this.load = { sessions: m.sessions, rooms: m.rooms, tickP99Ms: m.tickP99Ms, mixP99Ms: m.mixP99Ms, lateTicks: m.lateTicks };
        return;
      case 'closed':
        this.#onClosed?.();
        return;
      case 'ready':
        return;
    }
  }

  /** One chunk of a tap batch to its tap (a tap stopped since is no longer registered: dropped). */
  readonly #deliverAudio = (tapId: string, view: Int16Array): void => {
    const target = this.#targets.get(`audio:${tapId}`);
    if (!target?.onAudio) return;
    try {
      target.onAudio(target.sharedChunks === true ? view : view.slice());
    } catch (err) {
      this.#log.warn({ err: errorMessage(err) }, 'audio tap listener failed');
    }
  };

  #event(message: MediaEventMessage): void {
    if (message.kind === 'stats') {
      for (const [id, stats] of message.entries) this.#targets.get(`session:${id}`)?.onStats?.(stats);
      return;
    }
    const target = this.#targets.get(`${message.kind}:${message.id}`);
    if (!target) return;
    try {
      target.onMediaEvent(message);
    } catch (err) {
      this.#log.warn({ err: errorMessage(err), event: message.event }, 'media event listener failed');
    }
  }

  #exit(code: number): void {
    this.#exited = true;
    this.#afterReserve?.();
    for (const p of this.#pending.values()) p.reject?.(new MediaSessionError('MEDIA_SESSION_CLOSED', `media worker ${this.index} exited`));
    this.#pending.clear();
    if (!this.#closed) this.#log.error({ code }, 'media worker exited');
    // Whatever lived in the thread is gone: tell each session and room, so their calls end cleanly.
    for (const [key, target] of [...this.#targets]) {
      const [kind, id] = key.split(':', 2) as ['session' | 'room', string];
      try {
        target.onMediaEvent({ kind, id, event: 'closed', payload: { reason: WORKER_EXITED } });
      } catch (err) {
        this.#log.warn({ err: errorMessage(err) }, 'media event listener failed');
      }
    }
    this.#targets.clear();
    this.#onClosed?.();
  }
}
