/**
 * A TTL cache in front of a DnsLookup (RFC 1035 section 3.2.1 TTLs; RFC 2308 negative caching): answers
 * live for their smallest record TTL (or a default when the source gives none), clamped to a maximum;
 * empty answers and failures are cached briefly. Concurrent queries for the same name share one lookup.
 * Bounded: the oldest entries go first. Runs on an injected clock.
 */
import type { Clock } from '../../lib/index.ts';
import type { AddressAnswer, DnsLookup, NaptrAnswer, SrvAnswer } from './dns.ts';

export interface DnsCacheOptions {
  clock: Clock;
  /** For answers without TTLs (default 300 s). */
  defaultTtlMs?: number;
  /** Upper bound for any TTL (default 1 h). */
  maxTtlMs?: number;
  /** Lifetime of an empty answer (default 30 s). */
  negativeTtlMs?: number;
  /** Lifetime of a failure (timeout, SERVFAIL), which is then served as an empty answer (default 5 s). */
  errorTtlMs?: number;
  /** Most cached answers (default 10000). */
  maxEntries?: number;
}

interface Entry {
  expires: number;
  answer: Promise<Array<{ ttl?: number }>>;
}

export class CachingDns implements DnsLookup {
  readonly #source: DnsLookup;
  readonly #clock: Clock;
  readonly #defaultTtl: number;
  readonly #maxTtl: number;
  readonly #negativeTtl: number;
  readonly #errorTtl: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();

  constructor(source: DnsLookup, options: DnsCacheOptions) {
    this.#source = source;
    this.#clock = options.clock;
    this.#defaultTtl = options.defaultTtlMs ?? 300_000;
    this.#maxTtl = options.maxTtlMs ?? 3_600_000;
    this.#negativeTtl = options.negativeTtlMs ?? 30_000;
    this.#errorTtl = options.errorTtlMs ?? 5_000;
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }

  naptr(name: string): Promise<NaptrAnswer[]> {
    return this.#cached('NAPTR', name, () => this.#source.naptr(name));
  }

  srv(name: string): Promise<SrvAnswer[]> {
    return this.#cached('SRV', name, () => this.#source.srv(name));
  }

  a(name: string): Promise<AddressAnswer[]> {
    return this.#cached('A', name, () => this.#source.a(name));
  }

  aaaa(name: string): Promise<AddressAnswer[]> {
    return this.#cached('AAAA', name, () => this.#source.aaaa(name));
  }

  #cached<T extends { ttl?: number }>(type: string, name: string, query: () => Promise<T[]>): Promise<T[]> {
    const key = `${type} ${name.toLowerCase().replace(/\.$/, '')}`;
    const now = this.#clock.now();
    const hit = this.#entries.get(key);
    if (hit && hit.expires > now) return hit.answer as Promise<T[]>;
    if (hit) this.#entries.delete(key);
    const entry: Entry = { expires: Number.POSITIVE_INFINITY, answer: Promise.resolve([]) };
    const answer = query().then(
      (records) => {
        entry.expires = this.#clock.now() + this.#lifetime(records);
        return records;
      },
      () => {
        entry.expires = this.#clock.now() + this.#errorTtl;
        return [] as T[];
      },
    );
    entry.answer = answer;
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, entry);
    return answer;
  }

  #lifetime(records: Array<{ ttl?: number }>): number {
    if (records.length === 0) return this.#negativeTtl;
    let ttl = Number.POSITIVE_INFINITY;
    for (const r of records) if (r.ttl !== undefined && r.ttl >= 0) ttl = Math.min(ttl, r.ttl * 1000);
    return Math.min(Number.isFinite(ttl) ? ttl : this.#defaultTtl, this.#maxTtl);
  }
}
