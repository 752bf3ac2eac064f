/**
 * The header fields of a SIP message as an ordered list of raw (name, value) fields (RFC 3261 section
 * 7.3). Names match case-insensitively and compact forms are expanded (7.3.3); several fields of one list
 * header are equivalent to one field holding their values separated by commas (7.3.1), which `values()`
 * and `removeFirstValue()` follow. Values are kept as received (folded lines already joined), so a proxy
 * forwards what it does not touch byte for byte.
 */
import { C_TOKEN, allChars } from './chars.ts';
import { SipHeaderError } from './errors.ts';
import { headerName } from './header-names.ts';
import { firstTopLevelComma, splitHeaderValues } from './split.ts';

/** Versions are unique across all instances, so a cache can never confuse two header lists. */
let versionCounter = 0;

function checkValue(value: string): string {
  if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) throw new SipHeaderError('Header value holds CR or LF');
  return value;
}

/** Inserts `value` at index `at` (0 <= at <= length) without the array splice() allocates. */
function insertAt(list: string[], at: number, value: string): void {
  let i = list.length;
  list.push(value);
  for (; i > at; i--) list[i] = list[i - 1]!;
  list[at] = value;
}

/** Removes the element at index `at` without the array splice() allocates. */
function removeAt(list: string[], at: number): void {
  const n = list.length - 1;
  for (let i = at; i < n; i++) list[i] = list[i + 1]!;
  list.length = n;
}

function checkName(name: string): void {
  if (!allChars(name, C_TOKEN)) throw new SipHeaderError(`Header name "${name}" is not a token`);
}

export class SipHeaders implements Iterable<[string, string]> {
  /** Output spellings. */
  private names: string[] = [];
  /** Lower-case canonical keys. */
  private keys: string[] = [];
  private vals: string[] = [];
  private ver = ++versionCounter;

  constructor(init?: Iterable<readonly [string, string]>) {
    if (init) for (const [name, value] of init) this.append(name, value);
  }

  /** Changes on every mutation; parsed-header caches compare it. */
  get version(): number {
    return this.ver;
  }

  /** Number of header fields. */
  get size(): number {
    return this.keys.length;
  }

  /**
   * Appends a field whose name the caller already resolved (the parser's fast path). `name` is the
   * output spelling and `key` the lower-case canonical key from header-names.ts.
   */
  appendResolved(name: string, key: string, value: string): void {
    this.names.push(name);
    this.keys.push(key);
    this.vals.push(value);
    this.ver = ++versionCounter;
  }

  /** Index of the first field with this lookup key, or -1. */
  private indexOfKey(key: string, from = 0): number {
    const keys = this.keys;
    for (let i = from; i < keys.length; i++) if (keys[i] === key) return i;
    return -1;
  }

  /** First field value of a header, by lookup key (already lower-case and expanded). */
  getByKey(key: string): string | undefined {
    const i = this.indexOfKey(key);
    return i < 0 ? undefined : this.vals[i];
  }

  /** Every field value of a header, by lookup key. */
  getAllByKey(key: string): string[] {
    const out: string[] = [];
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) out.push(this.vals[i]!);
    return out;
  }

  /** Number of fields of a header, by lookup key. */
  countByKey(key: string): number {
    let n = 0;
    for (const k of this.keys) if (k === key) n++;
    return n;
  }

  /** The first field's value. */
  get(name: string): string | undefined {
    return this.getByKey(headerName(name).key);
  }

  /** Every field's value, as received. */
  getAll(name: string): string[] {
    return this.getAllByKey(headerName(name).key);
  }

  /**
   * Every comma-separated element across all fields of a list header (Allow, Supported, Via, Route...),
   * trimmed; commas inside quotes and <...> do not split. Not meaningful for headers whose values
   * contain commas of their own (Date, WWW-Authenticate).
   */
  values(name: string): string[] {
    const key = headerName(name).key;
    const out: string[] = [];
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== key) continue;
      for (const v of splitHeaderValues(this.vals[i]!)) out.push(v);
    }
    return out;
  }

  has(name: string): boolean {
    return this.indexOfKey(headerName(name).key) >= 0;
  }

  /**
   * Replaces every field of this header with the given value(s); the first new field takes the
   * position of the first old one (or goes last when there was none).
   */
  set(name: string, value: string | readonly string[]): void {
    checkName(name);
    const info = headerName(name);
    const list = typeof value === 'string' ? [value] : value;
    for (const v of list) checkValue(v);
    let at = this.indexOfKey(info.key);
    if (at < 0) at = this.keys.length;
    this.removeKey(info.key);
    for (let k = 0; k < list.length; k++) {
      insertAt(this.names, at + k, info.name);
      insertAt(this.keys, at + k, info.key);
      insertAt(this.vals, at + k, list[k]!);
    }
    this.ver = ++versionCounter;
  }

  /** Adds a field after all others. */
  append(name: string, value: string): void {
    checkName(name);
    const info = headerName(name);
    this.appendResolved(info.name, info.key, checkValue(value));
  }

  /**
   * Adds a field before the first field of the same header (or first of all when there is none), as a
   * proxy does with Via and Record-Route.
   */
  prepend(name: string, value: string): void {
    checkName(name);
    checkValue(value);
    const info = headerName(name);
    let at = this.indexOfKey(info.key);
    if (at < 0) at = 0;
    insertAt(this.names, at, info.name);
    insertAt(this.keys, at, info.key);
    insertAt(this.vals, at, value);
    this.ver = ++versionCounter;
  }

  private removeKey(key: string): number {
    let w = 0;
    const { names, keys, vals } = this;
    for (let r = 0; r < keys.length; r++) {
      if (keys[r] === key) continue;
      names[w] = names[r]!;
      keys[w] = keys[r]!;
      vals[w] = vals[r]!;
      w++;
    }
    const removed = keys.length - w;
    names.length = keys.length = vals.length = w;
    return removed;
  }

  /** Removes every field of this header; returns how many were removed. */
  remove(name: string): number {
    const removed = this.removeKey(headerName(name).key);
    if (removed > 0) this.ver = ++versionCounter;
    return removed;
  }

  /**
   * Removes the first comma-separated element of a list header, even when the first field holds
   * several (a proxy stripping its own Via from "Via: a, b"). Returns the removed element.
   */
  removeFirstValue(name: string): string | undefined {
    const key = headerName(name).key;
    // An empty leading element (", b") is dropped and the same field looked at again.
    for (let i = this.indexOfKey(key); i >= 0; i = this.indexOfKey(key, i)) {
      const v = this.vals[i]!;
      const comma = firstTopLevelComma(v);
      const first = (comma < 0 ? v : v.slice(0, comma)).trim();
      const rest = comma < 0 ? '' : v.slice(comma + 1).trim();
      if (rest === '') {
        removeAt(this.names, i);
        removeAt(this.keys, i);
        removeAt(this.vals, i);
      } else {
        this.vals[i] = rest;
      }
      this.ver = ++versionCounter;
      if (first !== '') return first;
    }
    return undefined;
  }

  /** (name, value) of every field in order, names in their output spelling. */
  *entries(): IterableIterator<[string, string]> {
    for (let i = 0; i < this.keys.length; i++) yield [this.names[i]!, this.vals[i]!];
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /**
   * Calls fn for each field with its output name, lookup key and value (the serializer's fast path; no
   * tuple allocations).
   */
  forEachField(fn: (name: string, key: string, value: string) => void): void {
    for (let i = 0; i < this.keys.length; i++) fn(this.names[i]!, this.keys[i]!, this.vals[i]!);
  }

  /** Output name, key and value of field i (0 <= i < size). */
  nameAt(i: number): string {
    return this.names[i]!;
  }

  keyAt(i: number): string {
    return this.keys[i]!;
  }

  valueAt(i: number): string {
    return this.vals[i]!;
  }

  clone(): SipHeaders {
    const c = new SipHeaders();
    c.names = this.names.slice();
    c.keys = this.keys.slice();
    c.vals = this.vals.slice();
    return c;
  }
}
