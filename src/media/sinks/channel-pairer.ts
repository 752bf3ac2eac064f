/**
 * Lines up the two directions of a call, which the media clock writes as separate frames (channel 0 then
 * channel 1 each tick), into sample-aligned pairs for stereo interleaving or mono mixing. Samples wait
 * until the other channel has as many; a channel that runs more than `maxSkew` samples ahead (the other
 * side sends nothing: one-way audio, a leg on hold) is paired with silence, so latency stays bounded.
 * Buffers are allocated once (grown only for an unusually long frame); pairs are handed out as
 * (buffer, offset) views, so nothing is allocated per frame.
 */
import type { SinkChannel } from './audio-sink.ts';

/** Receives `n` aligned samples: left[lo..lo+n) and right[ro..ro+n). */
export type PairHandler = (left: Int16Array, lo: number, right: Int16Array, ro: number, n: number) => void;

export class ChannelPairer {
  readonly maxSkew: number;
  readonly #onPair: PairHandler;
  #buf: [Int16Array, Int16Array];
  #len: [number, number] = [0, 0];
  #zeros: Int16Array;

  constructor(maxSkew: number, onPair: PairHandler) {
    this.maxSkew = Math.max(0, Math.floor(maxSkew));
    this.#onPair = onPair;
    const cap = this.maxSkew + 1024;
    this.#buf = [new Int16Array(cap), new Int16Array(cap)];
    this.#zeros = new Int16Array(cap);
  }

  /** Samples waiting on `channel`. */
  pending(channel: SinkChannel): number {
    return this.#len[channel];
  }

  push(frame: Int16Array, channel: SinkChannel): void {
    const other = channel === 0 ? 1 : 0;
    let from = 0;
    // Pair directly with what the other side has waiting.
    const direct = Math.min(frame.length, this.#len[other]);
    if (direct > 0 && this.#len[channel] === 0) {
      if (channel === 0) this.#onPair(frame, 0, this.#buf[1], 0, direct);
      else this.#onPair(this.#buf[0], 0, frame, 0, direct);
      this.#consume(other, direct);
      from = direct;
    }
    if (from < frame.length) this.#append(channel, frame, from);
    this.#drain();
  }

  /** Emits everything waiting, the shorter channel padded with silence. */
  flush(): void {
    this.#drain();
    for (const ch of [0, 1] as const) {
      const n = this.#len[ch];
      if (n === 0) continue;
      this.#emitAlone(ch, n);
    }
  }

  /** Forgets what is waiting. */
  clear(): void {
    this.#len[0] = 0;
    this.#len[1] = 0;
  }

  #drain(): void {
    const common = Math.min(this.#len[0], this.#len[1]);
    if (common > 0) {
      this.#onPair(this.#buf[0], 0, this.#buf[1], 0, common);
      this.#consume(0, common);
      this.#consume(1, common);
    }
    for (const ch of [0, 1] as const) {
      const over = this.#len[ch] - this.maxSkew;
      if (over > 0) this.#emitAlone(ch, over);
    }
  }

  /** Emits the first `n` waiting samples of `ch` against silence. */
  #emitAlone(ch: SinkChannel, n: number): void {
    if (this.#zeros.length < n) this.#zeros = new Int16Array(n);
    if (ch === 0) this.#onPair(this.#buf[0], 0, this.#zeros, 0, n);
    else this.#onPair(this.#zeros, 0, this.#buf[1], 0, n);
    this.#consume(ch, n);
  }

  #append(ch: SinkChannel, frame: Int16Array, from: number): void {
    const n = frame.length - from;
    let buf = this.#buf[ch];
    const len = this.#len[ch];
    if (len + n > buf.length) {
      const grown = new Int16Array(Math.max(len + n, buf.length * 2));
      grown.set(buf.subarray(0, len));
      this.#buf[ch] = buf = grown;
    }
    buf.set(from === 0 ? frame : frame.subarray(from), len);
    this.#len[ch] = len + n;
  }

  #consume(ch: SinkChannel, n: number): void {
    const len = this.#len[ch];
    if (n < len) this.#buf[ch].copyWithin(0, n, len);
    this.#len[ch] = len - n;
  }
}

/** out[i] = clip(a[ao+i] + b[bo+i]) for i < n. */
export function mixSaturate(
  a: Int16Array,
  ao: number,
  b: Int16Array,
  bo: number,
  out: Int16Array,
  oo: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const v = a[ao + i]! + b[bo + i]!;
    out[oo + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
}
