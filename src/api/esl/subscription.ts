/**
 * A listener's event subscription and content filters (specs/esl.md §2.2 event / nixevent / noevents /
 * filter / myevents, mod_event_socket event_handler). Pure.
 *
 * Filters: none -> every subscribed event passes. Otherwise the event starts rejected; filters run in
 * insertion order, only those whose header the event has count; `+`/`-` prefixes mean accept/reject
 * (stripped before comparing); a raw value starting with `/` is a `/regex/opts`; otherwise a
 * case-insensitive exact match. Once accepted, further accept filters are skipped; a matching reject
 * filter rejects and stops.
 */
import { canonicalEventName, EVENT_NAMES } from './event-names.ts';
import { eventHeader, eventName, type EslEvent } from './esl-event.ts';

export interface Filter {
  header: string;
  value: string;
}

export class Subscription {
  all = false;
  readonly names = new Set<string>();
  readonly subclasses = new Set<string>();

  get empty(): boolean { return !this.all && this.names.size === 0 && this.subclasses.size === 0; }

  /** Adds tokens (names, ALL, `CUSTOM` then subclasses); returns how many were valid. */
  add(tokens: readonly string[]): number {
    let valid = 0;
    let custom = false;
    for (const token of tokens) {
      if (token === '') continue;
      if (custom) {
        this.subclasses.add(token);
        valid++;
        continue;
      }
      const name = canonicalEventName(token);
      if (!name) continue;
      valid++;
      if (name === 'ALL') this.all = true;
      else this.names.add(name);
      if (name === 'CUSTOM') custom = true;
    }
    return valid;
  }

  /** Removes tokens (ALL active: expanded to the full list first); returns how many were valid. */
  remove(tokens: readonly string[]): number {
    let valid = 0;
    let custom = false;
    for (const token of tokens) {
      if (token === '') continue;
      if (custom) {
        if (this.subclasses.delete(token)) valid++;
        continue;
      }
      const name = canonicalEventName(token);
      if (!name) continue;
      valid++;
      if (name === 'CUSTOM') custom = true;
      if (name === 'ALL') {
        this.clear();
        continue;
      }
      if (this.all) {
        this.all = false;
        for (const n of EVENT_NAMES) this.names.add(n);
      }
      if (name !== 'CUSTOM') this.names.delete(name);
    }
    return valid;
  }

  clear(): void {
    this.all = false;
    this.names.clear();
    this.subclasses.clear();
  }

  matches(event: EslEvent): boolean {
    if (this.all) return true;
    const name = eventName(event);
    if (name !== 'CUSTOM') return this.names.has(name);
    const subclass = eventHeader(event, 'Event-Subclass');
    if (subclass === undefined || subclass === '') return this.names.has('CUSTOM');
    return this.subclasses.has(subclass);
  }
}

function regexOf(value: string): RegExp | undefined {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(value);
  try {
    return m ? new RegExp(m[1]!, m[2]!.replace(/[^imsu]/g, '')) : new RegExp(value.slice(1));
  } catch {
    return undefined;
  }
}

export function passesFilters(filters: readonly Filter[], event: EslEvent): boolean {
  if (filters.length === 0) return true;
  let accepted = false;
  for (const f of filters) {
    const actual = eventHeader(event, f.header);
    if (actual === undefined) continue;
    let value = f.value;
    let reject = false;
    let matched: boolean;
    if (value.startsWith('/')) {
      matched = regexOf(value)?.test(actual) ?? false;
    } else {
      if (value.startsWith('-')) {
        reject = true;
        value = value.slice(1);
      } else if (value.startsWith('+')) {
        value = value.slice(1);
      }
      if (!reject && accepted) continue;
      matched = value.toLowerCase() === actual.toLowerCase();
    }
    if (!matched) continue;
    if (reject) return false;
    accepted = true;
  }
  return accepted;
}
