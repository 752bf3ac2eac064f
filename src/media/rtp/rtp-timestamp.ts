/**
 * RTP timestamp arithmetic (RFC 3550 section 5.1): timestamps are 32-bit and wrap; differences are taken
 * modulo 2^32 and read as signed, which is correct while the two are within 2^31 ticks (about 3 days at
 * 8 kHz, 12 hours at 48 kHz).
 */

/** Signed distance a - b between two 32-bit RTP timestamps. */
export function tsDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** (ts + n) mod 2^32. */
export function tsAdd(ts: number, n: number): number {
  return (ts + n) >>> 0;
}

/** True when a is later than b (modulo 2^32). */
export function tsAfter(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/**
 * Extends 32-bit timestamps to a monotonic-ish number line (exact integers up to 2^53) by following each
 * new value from the last: a value that moves backwards within 2^31 stays backwards.
 */
export class TimestampUnwrapper {
  #last = 0;
  #extended = 0;
  #started = false;

  /** Extended value of `ts`. */
  unwrap(ts: number): number {
    ts >>>= 0;
    if (!this.#started) {
      this.#started = true;
      this.#last = ts;
      this.#extended = ts;
      return ts;
    }
    this.#extended += (ts - this.#last) | 0;
    this.#last = ts;
    return this.#extended;
  }

  /** Extended value of `ts` relative to the last one, without moving the reference. */
  peek(ts: number): number {
    return this.#started ? this.#extended + ((ts - this.#last) | 0) : ts >>> 0;
  }

  reset(): void {
    this.#started = false;
    this.#last = 0;
    this.#extended = 0;
  }
}
