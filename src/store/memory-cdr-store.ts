/**
 * A bounded in-memory CDR store: the embedded default. When full, the oldest record is dropped. Records
 * are copied and frozen on the way in, so neither the writer nor a reader can change a stored record.
 */
import type { CdrRecord } from './cdr-record.ts';
import { StoreError } from './store-error.ts';
import { DEFAULT_CDR_LIST_LIMIT, matchesCdrFilter, type CdrFilter, type CdrStore } from './cdr-store.ts';

export interface MemoryCdrStoreOptions {
  /** Most records kept (default 10 000). */
  maxRecords?: number;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export class MemoryCdrStore implements CdrStore {
  readonly maxRecords: number;
  // Insertion-ordered: the first key is the oldest record.
  #records = new Map<string, CdrRecord>();

  constructor(options: MemoryCdrStoreOptions = {}) {
    const max = options.maxRecords ?? 10_000;
    if (!Number.isInteger(max) || max < 1) {
      throw new StoreError('STORE_CONFIG', `maxRecords must be a positive integer, got ${max}`);
    }
    this.maxRecords = max;
  }

  add(record: CdrRecord): Promise<void> {
    const copy = deepFreeze(structuredClone(record));
    this.#records.delete(copy.uuid);
    this.#records.set(copy.uuid, copy);
    while (this.#records.size > this.maxRecords) {
      const oldest = this.#records.keys().next();
      if (oldest.done) break;
      this.#records.delete(oldest.value);
    }
    return Promise.resolve();
  }

  get(uuid: string): Promise<CdrRecord | undefined> {
    return Promise.resolve(this.#records.get(uuid));
  }

  list(filter: CdrFilter = {}, limit = DEFAULT_CDR_LIST_LIMIT): Promise<CdrRecord[]> {
    const out: CdrRecord[] = [];
    if (limit <= 0) return Promise.resolve(out);
    const all = [...this.#records.values()];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const record = all[i]!;
      if (matchesCdrFilter(record, filter)) out.push(record);
    }
    return Promise.resolve(out);
  }

  count(): Promise<number> {
    return Promise.resolve(this.#records.size);
  }

  /** Drops every record. */
  clear(): void {
    this.#records.clear();
  }
}
