/**
 * The chunks of a media worker's audio taps travel to the core's thread together: a worker collects
 * every chunk its taps hand out during one event-loop turn (one media tick, or the ticks run back to back
 * when the clock catches up) and posts them as one message, their samples packed into one transferred
 * buffer. The core's thread splits the message into chunks, in the order they were made (views into
 * the batch's buffer; a receiver that keeps one copies it). So a worker posts one audio message per tick
 * whatever the number of taps, instead of one per chunk. Any other message the worker posts is preceded by the chunks collected so far (`flush`), so a
 * tap's last chunk always arrives before its `tap.stopped` event.
 */

/** One batch of tap chunks (worker-protocol.ts FromWorker `audio`): chunk i is `lengths[i]` samples of `pcm` for `taps[i]`. */
export interface TapBatchMessage {
  type: 'audio';
  taps: string[];
  lengths: number[];
  pcm: Int16Array;
}

/** Worker side: collects chunks and posts them as one message at the end of the turn (or on flush()). */
export class TapBatcher {
  readonly #post: (message: TapBatchMessage, transfer: ArrayBuffer[]) => void;
  readonly #schedule: (run: () => void) => void;
  #taps: string[] = [];
  #chunks: Int16Array[] = [];
  #samples = 0;
  #scheduled = false;
  /** Messages and chunks posted so far. */
  messages = 0;
  chunks = 0;

  /** `schedule` runs the flush once the current turn's work is done (default queueMicrotask). */
  constructor(post: (message: TapBatchMessage, transfer: ArrayBuffer[]) => void, schedule: (run: () => void) => void = queueMicrotask) {
    this.#post = post;
    this.#schedule = schedule;
  }

  add(tapId: string, pcm: Int16Array): void {
    this.#taps.push(tapId);
    this.#chunks.push(pcm);
    this.#samples += pcm.length;
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(this.#flushScheduled);
  }

  /** Posts what was collected now (before any other message, to keep the order). */
  flush(): void {
    const chunks = this.#chunks;
    if (chunks.length === 0) return;
    const taps = this.#taps;
    const pcm = new Int16Array(this.#samples);
    const lengths = new Array<number>(chunks.length);
    let at = 0;
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i]!;
      pcm.set(c, at);
      at += c.length;
      lengths[i] = c.length;
    }
    this.#taps = [];
    this.#chunks = [];
    this.#samples = 0;
    this.messages++;
    this.chunks += chunks.length;
    this.#post({ type: 'audio', taps, lengths, pcm }, [pcm.buffer as ArrayBuffer]);
  }

  readonly #flushScheduled = (): void => {
    this.#scheduled = false;
    this.flush();
  };
}

/**
 * Core side: hands each chunk of a batch to `deliver` in order, as a view into the batch's buffer (valid
 * for good, shared with the other chunks). A batch whose lengths do not add up is cut at the last whole
 * chunk; returns how many were delivered.
 */
export function splitTapBatch(message: TapBatchMessage, deliver: (tapId: string, pcm: Int16Array) => void): number {
  const { taps, lengths, pcm } = message;
  const n = Math.min(taps.length, lengths.length);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const end = at + lengths[i]!;
    if (!(end <= pcm.length) || end < at) return i;
    deliver(taps[i]!, pcm.subarray(at, end));
    at = end;
  }
  return n;
}
