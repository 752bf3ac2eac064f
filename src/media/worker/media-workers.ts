/**
 * The media worker threads of a server: the RTP port range split into one slice per worker, each worker
 * with its own media clock, and placement of new sessions on the least loaded worker (or next to a
 * session they will be joined with, so bridged legs share a thread).
 */
import type { Logger } from '../../lib/index.ts';
import { MediaWorker, type WorkerLoad } from './media-worker.ts';
import type { LogLevel } from './worker-log.ts';

export interface MediaWorkersOptions {
  count: number;
  address: string;
  portMin: number;
  portMax: number;
  /** Port pairs each worker binds at start. */
  prebind: number;
  soundDir?: string;
  cacheDir?: string;
  logLevel: LogLevel;
  log: Logger;
}

/** Affinity keys remembered (oldest forgotten first). */
const AFFINITY_KEYS = 10_000;

export class MediaWorkers {
  readonly workers: readonly MediaWorker[];
  readonly #affinity = new Map<string, MediaWorker>();

  private constructor(workers: MediaWorker[]) {
    this.workers = workers;
  }

  /** Starts `count` workers on equal, even-aligned slices of the port range. */
  static async start(o: MediaWorkersOptions): Promise<MediaWorkers> {
    const count = Math.max(1, Math.floor(o.count));
    const low = o.portMin + (o.portMin & 1);
    const pairs = Math.floor((o.portMax - low + 1) / 2);
    if (pairs < count) throw new Error(`RTP range ${o.portMin}-${o.portMax} is too small for ${count} media workers`);
    const per = Math.floor(pairs / count);
    const starting: Promise<MediaWorker>[] = [];
    for (let i = 0; i < count; i++) {
      const portMin = low + 2 * per * i;
      const portMax = i === count - 1 ? o.portMax : portMin + 2 * per - 1;
      starting.push(MediaWorker.start({
        index: i, address: o.address, portMin, portMax, prebind: Math.min(o.prebind, per), logLevel: o.logLevel,
        ...(o.soundDir === undefined ? {} : { soundDir: o.soundDir }),
        ...(o.cacheDir === undefined ? {} : { cacheDir: o.cacheDir }),
      }, o.log));
    }
    const settled = await Promise.allSettled(starting);
    const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(started.map((w) => w.close()));
      throw failed.reason;
    }
    return new MediaWorkers(started);
  }

  /**
   * The worker for a new session: the one sessions with the same affinity key went to (while it has
   * sessions), else the one with the fewest sessions placed.
   */
  pick(affinity?: string): MediaWorker {
    if (affinity !== undefined) {
      const known = this.#affinity.get(affinity);
      if (known && known.placed > 0 && !known.closed) return known;
    }
    let best = this.workers[0]!;
    for (const w of this.workers) if (w.placed < best.placed) best = w;
    if (affinity !== undefined) {
      this.#affinity.delete(affinity);
      this.#affinity.set(affinity, best);
      if (this.#affinity.size > AFFINITY_KEYS) this.#affinity.delete(this.#affinity.keys().next().value!);
    }
    return best;
  }

  loads(): WorkerLoad[] {
    return this.workers.map((w) => w.load);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
