/**
 * A first-in first-out ring of 16-bit PCM samples with a fixed capacity, used to cut audio produced in
 * one frame size into another (a 20 ms media tick against a 30 ms ptime, a resampler's uneven output
 * against whole frames). Nothing is allocated after construction.
 */
export class PcmFifo {
  readonly capacity: number;
  readonly #buf: Int16Array;
  #head = 0;
  #length = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.ceil(capacity));
    this.#buf = new Int16Array(this.capacity);
  }

  /** Samples held. */
  get length(): number {
    return this.#length;
  }

  /** Appends `src[0, count)`; what does not fit drops the oldest samples. Returns the samples appended. */
  push(src: Int16Array, count: number = src.length): number {
    const cap = this.capacity;
    let start = 0;
    if (count > cap) {
      start = count - cap;
      count = cap;
    }
    const overflow = this.#length + count - cap;
    if (overflow > 0) this.drop(overflow);
    const tail = (this.#head + this.#length) % cap;
    const buf = this.#buf;
    const first = Math.min(count, cap - tail);
    for (let i = 0; i < first; i++) buf[tail + i] = src[start + i]!;
    for (let i = first; i < count; i++) buf[i - first] = src[start + i]!;
    this.#length += count;
    return count;
  }

  /** Appends `count` zero samples. */
  pushSilence(count: number): void {
    const cap = this.capacity;
    if (count > cap) count = cap;
    const overflow = this.#length + count - cap;
    if (overflow > 0) this.drop(overflow);
    let tail = (this.#head + this.#length) % cap;
    const buf = this.#buf;
    for (let i = 0; i < count; i++) {
      buf[tail] = 0;
      tail = tail + 1 === cap ? 0 : tail + 1;
    }
    this.#length += count;
  }

  /** Moves up to `count` samples into `dst[offset, ...)`; returns how many. */
  read(dst: Int16Array, count: number = dst.length, offset = 0): number {
    const n = Math.min(count, this.#length, dst.length - offset);
    const cap = this.capacity;
    const buf = this.#buf;
    const head = this.#head;
    const first = Math.min(n, cap - head);
    for (let i = 0; i < first; i++) dst[offset + i] = buf[head + i]!;
    for (let i = first; i < n; i++) dst[offset + i] = buf[i - first]!;
    this.#head = (head + n) % cap;
    this.#length -= n;
    return n;
  }

  /** Discards up to `count` of the oldest samples. */
  drop(count: number): void {
    const n = Math.min(count, this.#length);
    this.#head = (this.#head + n) % this.capacity;
    this.#length -= n;
  }

  clear(): void {
    this.#head = 0;
    this.#length = 0;
  }
}
