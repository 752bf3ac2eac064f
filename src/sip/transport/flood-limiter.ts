/**
 * Per-source request rate limiting on an injected clock: a token bucket per source address (rate and
 * burst). Within the rate: 'allow'. Over it: 'reject', and the stack answers 503 with Retry-After (RFC
 * 3261 section 21.5.4). Rejections draw the bucket further into debt; a source more than `rejectBurst`
 * requests in debt is far over the limit and gets 'drop' (no answer at all), so that a flood with a
 * spoofed source cannot turn us into a reflector: answers to one source never exceed its rate.
 *
 * Bounded: at most `maxSources` buckets, the least recently seen evicted first. Pure apart from the clock.
 */
import type { Clock } from '../../lib/index.ts';
import { canonicalIp } from './ip-address.ts';

export type FloodVerdict = 'allow' | 'reject' | 'drop';

export interface FloodLimiterOptions {
  clock: Clock;
  /** Sustained requests per second per source. */
  ratePerSecond: number;
  /** Requests a quiet source may send at once. */
  burst: number;
  /** Rejections beyond the burst before requests are dropped; default `burst`. */
  rejectBurst?: number;
  /** Most sources tracked; default 10000. */
  maxSources?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class FloodLimiter {
  readonly #clock: Clock;
  readonly #rate: number;
  readonly #burst: number;
  readonly #floor: number;
  readonly #maxSources: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: FloodLimiterOptions) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) throw new RangeError('ratePerSecond must be > 0 and burst >= 1');
    this.#clock = options.clock;
    this.#rate = options.ratePerSecond / 1000;
    this.#burst = options.burst;
    this.#floor = -(options.rejectBurst ?? options.burst);
    this.#maxSources = Math.max(1, options.maxSources ?? 10_000);
  }

  /** Number of sources currently tracked. */
  get size(): number {
    return this.#buckets.size;
  }

  /** Counts one request from `address` and says what to do with it. */
  check(address: string): FloodVerdict {
    const bucket = this.#refill(canonicalIp(address));
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 'allow';
    }
    if (bucket.tokens > this.#floor) {
      bucket.tokens -= 1;
      return 'reject';
    }
    return 'drop';
  }

  /** Whole seconds until `address` may send again (for Retry-After); 0 when it may now. */
  retryAfterSeconds(address: string): number {
    const bucket = this.#buckets.get(canonicalIp(address));
    if (!bucket) return 0;
    const tokens = Math.min(this.#burst, bucket.tokens + (this.#clock.now() - bucket.at) * this.#rate);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.#rate / 1000);
  }

  /** Forgets every source. */
  clear(): void {
    this.#buckets.clear();
  }

  #refill(key: string): Bucket {
    const now = this.#clock.now();
    let bucket = this.#buckets.get(key);
    if (bucket) {
      this.#buckets.delete(key);
      bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.at) * this.#rate);
      bucket.at = now;
    } else {
      if (this.#buckets.size >= this.#maxSources) this.#evict();
      bucket = { tokens: this.#burst, at: now };
    }
    this.#buckets.set(key, bucket);
    return bucket;
  }

  /** Drops the least recently seen source (Map order is recency order: entries are re-inserted on use). */
  #evict(): void {
    const oldest = this.#buckets.keys().next();
    if (!oldest.done) this.#buckets.delete(oldest.value);
  }
}
