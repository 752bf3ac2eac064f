/**
 * Nonce-count replay protection (RFC 7616 section 3.4 and 5.3, RFC 3261 section 22.4 via RFC 2617
 * section 3.2.2): for each nonce the server remembers the highest nc it accepted; a request that repeats
 * or lowers it is a replay. Memory is bounded: entries of expired nonces are purged, and when the table
 * is still full the oldest entries are evicted. Nonces issued at or before the newest evicted one are
 * then answered as stale (a fresh nonce), so eviction never opens a replay window.
 */

export interface NonceCountTrackerOptions {
  /** Upper bound on tracked nonces (default 100 000). */
  maxEntries?: number;
  /** Time source, the same one the NonceManager uses (default Date.now). */
  clock?: { now(): number };
  /** How often expired entries are swept during checks (default 60 000 ms). */
  sweepIntervalMs?: number;
}

/** ok: first use or a higher nc. replay: nc not above the last accepted. stale: state was evicted. */
export type NonceCountResult = 'ok' | 'replay' | 'stale';

interface Entry {
  nc: number;
  issuedAt: number;
  expiresAt: number;
}

export class NonceCountTracker {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #clock: { now(): number };
  readonly #sweepIntervalMs: number;
  #lastSweep: number;
  /** Issue time of the newest nonce evicted while still live. */
  #evictedUpTo = Number.NEGATIVE_INFINITY;

  constructor(options: NonceCountTrackerOptions = {}) {
    this.#max = Math.max(1, options.maxEntries ?? 100_000);
    this.#clock = options.clock ?? { now: () => Date.now() };
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    this.#lastSweep = this.#clock.now();
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Records nc for a nonce if it is higher than any accepted before. `issuedAt`/`expiresAt` come from
   * NonceManager.check and bound how long the entry is kept.
   */
  check(nonce: string, nc: number, issuedAt: number, expiresAt: number): NonceCountResult {
    const now = this.#clock.now();
    if (now - this.#lastSweep >= this.#sweepIntervalMs) this.purgeExpired();
    const entry = this.#entries.get(nonce);
    if (entry) {
      if (nc <= entry.nc) return 'replay';
      entry.nc = nc;
      return 'ok';
    }
    if (issuedAt <= this.#evictedUpTo) return 'stale';
    if (this.#entries.size >= this.#max) this.#makeRoom();
    this.#entries.set(nonce, { nc, issuedAt, expiresAt });
    return 'ok';
  }

  /** Drops entries of nonces past their lifetime; returns how many were removed. */
  purgeExpired(): number {
    const now = this.#clock.now();
    this.#lastSweep = now;
    let removed = 0;
    for (const [nonce, entry] of this.#entries) {
      if (entry.expiresAt < now) {
        this.#entries.delete(nonce);
        removed++;
      }
    }
    return removed;
  }

  clear(): void {
    this.#entries.clear();
  }

  #makeRoom(): void {
    this.purgeExpired();
    // Evict a tenth at once so a full table does not sweep on every insert.
    let excess = this.#entries.size - this.#max + Math.max(1, Math.floor(this.#max / 10));
    for (const [nonce, entry] of this.#entries) {
      if (excess-- <= 0) break;
      this.#entries.delete(nonce);
      if (entry.issuedAt > this.#evictedUpTo) this.#evictedUpTo = entry.issuedAt;
    }
  }
}
