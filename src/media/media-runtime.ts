/**
 * The media engine of a server as one thing to start and stop: either sessions on this thread (one
 * port pool, one media clock) or media worker threads (each with a slice of the port range and its own
 * clock). `portsInUse` counts sessions holding RTP ports either way.
 */
import { rename, writeFile } from 'node:fs/promises';
import { errorMessage, type Logger } from '../lib/index.ts';
import { MediaClock } from './media-clock.ts';
import { PortPool } from './rtp/index.ts';
import { TickScheduler } from './session/index.ts';
import { MediaWorkers, type LogLevel, type WorkerLoad } from './worker/index.ts';

export interface MediaRuntimeOptions {
  address: string;
  portMin: number;
  portMax: number;
  prebind: number;
  /** Worker threads; 0 runs media on this thread. */
  workers: number;
  soundDir?: string;
  cacheDir?: string;
  logLevel: LogLevel;
  log: Logger;
  /** Writes the media load (per thread: sessions, rooms, tick and mix p99, late ticks) as JSON here every second. */
  statsFile?: string;
}

/** RTP port pairs a media worker needs at least, for its slice of the range to be worth a thread. */
export const MIN_PAIRS_PER_WORKER = 32;

export class MediaRuntime {
  readonly address: string;
  /** This thread's media clock (drives in-thread sessions; idle when workers do the media). */
  readonly clock: MediaClock;
  /** The in-thread port pool; absent with workers. */
  readonly pool: PortPool | undefined;
  readonly workers: MediaWorkers | undefined;
  #closing: Promise<void> | undefined;
  #statsTimer: NodeJS.Timeout | undefined;

  private constructor(address: string, clock: MediaClock, pool: PortPool | undefined, workers: MediaWorkers | undefined) {
    this.address = address;
    this.clock = clock;
    this.pool = pool;
    this.workers = workers;
  }

  static async start(o: MediaRuntimeOptions): Promise<MediaRuntime> {
    const runtime = await MediaRuntime.#start(o);
    if (o.statsFile) runtime.#writeLoads(o.statsFile, o.log);
    return runtime;
  }

  static async #start(o: MediaRuntimeOptions): Promise<MediaRuntime> {
    const clock = new MediaClock({ log: o.log.child({ room: 'media-clock' }) });
    // Each worker needs a slice of the range worth having; a small range runs on fewer workers (or none).
    const pairs = Math.floor((o.portMax - (o.portMin + (o.portMin & 1)) + 1) / 2);
    const count = Math.min(o.workers, Math.floor(pairs / MIN_PAIRS_PER_WORKER));
    if (count < o.workers) o.log.info({ asked: o.workers, workers: count, pairs }, 'RTP port range too small for the media workers asked');
    if (count > 0) {
      const workers = await MediaWorkers.start({
        count, address: o.address, portMin: o.portMin, portMax: o.portMax, prebind: o.prebind,
        logLevel: o.logLevel, log: o.log.child({ room: 'media-workers' }),
        ...(o.soundDir === undefined ? {} : { soundDir: o.soundDir }),
        ...(o.cacheDir === undefined ? {} : { cacheDir: o.cacheDir }),
      });
      return new MediaRuntime(o.address, clock, undefined, workers);
    }
    const pool = await PortPool.start({ address: o.address, portMin: o.portMin, portMax: o.portMax, prebind: o.prebind, log: o.log.child({ room: 'rtp' }) });
    clock.start();
    return new MediaRuntime(o.address, clock, pool, undefined);
  }

  /** Per thread that runs media: its last second's load (the main thread's own when there are no workers). */
  loads(): WorkerLoad[] {
    if (this.workers) return this.workers.loads();
    const scheduler = TickScheduler.of(this.clock);
    const work = scheduler.workStats();
    return [{
      sessions: scheduler.sessionCount, rooms: scheduler.mixerCount, tickP99Ms: work.p99Ms, mixP99Ms: work.mixP99Ms,
      lateTicks: this.clock.stats().late,
    }];
  }

  #writeLoads(file: string, log: Logger): void {
    this.#statsTimer = setInterval(() => {
      const loads = this.loads();
      if (!this.workers) TickScheduler.of(this.clock).resetWorkStats();
      // Written aside and renamed, so a reader never sees half a file.
      const tmp = `${file}.tmp`;
      writeFile(tmp, `${JSON.stringify({ at: Date.now(), loads })}\n`).then(() => rename(tmp, file)).catch((err: unknown) => {
        log.warn({ err: errorMessage(err), file }, 'media statistics file not written');
      });
    }, 1000);
    this.#statsTimer.unref();
  }

  /** RTP port pairs held by sessions (in this thread's pool, or sessions placed on workers). */
  get portsInUse(): number {
    if (this.pool) return this.pool.inUse;
    let n = 0;
    for (const w of this.workers?.workers ?? []) n += w.placed;
    return n;
  }

  /** Stops the workers (or closes the pool) and the clock; idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#statsTimer) clearInterval(this.#statsTimer);
      await this.workers?.close();
      await this.pool?.close();
      this.clock.close();
    })();
    return this.#closing;
  }
}
