/**
 * In-memory BindingsStore (RFC 3261 section 10.3 location service) for a single process. Expired
 * bindings are invisible at once and purged periodically on the injected Clock.
 */
import type { Clock, TimerHandle } from '../../lib/index.ts';
import type { Binding, BindingsStore } from './bindings-store.ts';

export interface MemoryBindingsStoreOptions {
  clock: Clock;
  /** How often expired bindings are purged (default 10 000 ms). */
  purgeIntervalMs?: number;
  /** Called when an expiry listener throws. */
  onListenerError?: (err: unknown) => void;
}

function copy(b: Binding): Binding {
  return structuredClone(b);
}

export class MemoryBindingsStore implements BindingsStore {
  readonly #byAor = new Map<string, Map<string, Binding>>();
  readonly #clock: Clock;
  readonly #interval: number;
  readonly #listeners = new Set<(expired: Binding[]) => void>();
  readonly #onListenerError: (err: unknown) => void;
  #timer: TimerHandle | undefined;
  #closed = false;

  constructor(options: MemoryBindingsStoreOptions) {
    this.#clock = options.clock;
    this.#interval = options.purgeIntervalMs ?? 10_000;
    this.#onListenerError = options.onListenerError ?? (() => {});
    this.#arm();
  }

  /** Number of stored bindings, expired-but-not-purged included. */
  get size(): number {
    let n = 0;
    for (const m of this.#byAor.values()) n += m.size;
    return n;
  }

  async list(aor: string): Promise<Binding[]> {
    const now = this.#clock.now();
    return [...(this.#byAor.get(aor)?.values() ?? [])].filter((b) => b.expiresAt > now).map(copy);
  }

  async upsert(binding: Binding): Promise<void> {
    if (this.#closed) return;
    let m = this.#byAor.get(binding.aor);
    if (!m) {
      m = new Map();
      this.#byAor.set(binding.aor, m);
    }
    m.set(binding.key, copy(binding));
  }

  async remove(aor: string, key: string): Promise<Binding | undefined> {
    const m = this.#byAor.get(aor);
    const b = m?.get(key);
    if (!m || !b) return undefined;
    m.delete(key);
    if (m.size === 0) this.#byAor.delete(aor);
    return b;
  }

  async removeAll(aor: string): Promise<Binding[]> {
    const m = this.#byAor.get(aor);
    this.#byAor.delete(aor);
    return m ? [...m.values()] : [];
  }

  async aors(): Promise<string[]> {
    const now = this.#clock.now();
    return [...this.#byAor].filter(([, m]) => [...m.values()].some((b) => b.expiresAt > now)).map(([aor]) => aor);
  }

  async all(): Promise<Binding[]> {
    const now = this.#clock.now();
    const out: Binding[] = [];
    for (const m of this.#byAor.values()) for (const b of m.values()) if (b.expiresAt > now) out.push(copy(b));
    return out;
  }

  async purgeExpired(): Promise<Binding[]> {
    return this.#purge();
  }

  onExpired(listener: (expired: Binding[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#byAor.clear();
    this.#listeners.clear();
  }

  #purge(): Binding[] {
    const now = this.#clock.now();
    const expired: Binding[] = [];
    for (const [aor, m] of this.#byAor) {
      for (const [key, b] of m) {
        if (b.expiresAt <= now) {
          m.delete(key);
          expired.push(b);
        }
      }
      if (m.size === 0) this.#byAor.delete(aor);
    }
    if (expired.length > 0) {
      for (const listener of [...this.#listeners]) {
        try {
          listener(expired.map(copy));
        } catch (err) {
          this.#onListenerError(err);
        }
      }
    }
    return expired;
  }

  #arm(): void {
    if (this.#closed) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#purge();
      this.#arm();
    }, this.#interval);
  }
}
