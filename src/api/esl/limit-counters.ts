/**
 * The `hash` limit backend (specs/esl.md §6 limit; FreeSWITCH mod_hash): in-memory usage counters per
 * `<realm>_<resource>`. A concurrency limit counts the channels holding the resource and releases a
 * channel's hold at hangup; a rate limit (`<max>/<interval>`) counts hits in the current interval
 * window, and those are not released. A channel holds a resource at most once. Pure apart from `now`.
 */

export interface LimitHit {
  /** Whether the channel got the resource (false: over the limit, nothing counted). */
  ok: boolean;
  /** Channels holding the resource after this hit. */
  usage: number;
  /** Hits in the current rate window (0 without an interval). */
  rate: number;
}

interface Counter {
  holders: Set<string>;
  windowStart: number;
  windowHits: number;
}

export class LimitCounters {
  readonly #now: () => number;
  readonly #counters = new Map<string, Counter>();

  constructor(now: () => number) {
    this.#now = now;
  }

  /**
   * Takes `key` for `holder`. `max` < 0: no limit (counts only); `intervalSecs` > 0: at most `max` hits
   * per window of that length, else at most `max` holders at once.
   */
  acquire(key: string, holder: string, max: number, intervalSecs = 0): LimitHit {
    const c = this.#counter(key);
    if (intervalSecs > 0) {
      const now = this.#now();
      if (now - c.windowStart >= intervalSecs * 1000) {
        c.windowStart = now;
        c.windowHits = 0;
      }
      if (max >= 0 && c.windowHits >= max) return { ok: false, usage: c.holders.size, rate: c.windowHits };
      c.windowHits += 1;
      c.holders.add(holder);
      return { ok: true, usage: c.holders.size, rate: c.windowHits };
    }
    if (c.holders.has(holder)) return { ok: true, usage: c.holders.size, rate: 0 };
    if (max >= 0 && c.holders.size >= max) return { ok: false, usage: c.holders.size, rate: 0 };
    c.holders.add(holder);
    return { ok: true, usage: c.holders.size, rate: 0 };
  }

  /** Releases every resource `holder` holds (at hangup). */
  releaseAll(holder: string): void {
    for (const [key, c] of this.#counters) {
      c.holders.delete(holder);
      if (c.holders.size === 0 && c.windowHits === 0) this.#counters.delete(key);
    }
  }

  /** Channels holding `key` now. */
  usage(key: string): number {
    return this.#counters.get(key)?.holders.size ?? 0;
  }

  #counter(key: string): Counter {
    let c = this.#counters.get(key);
    if (!c) {
      c = { holders: new Set(), windowStart: this.#now(), windowHits: 0 };
      this.#counters.set(key, c);
    }
    return c;
  }
}
