/**
 * Top-level comma splitting of list header fields (RFC 3261 section 7.3.1: a header field whose grammar
 * is a comma-separated list may appear as several fields or as one field with several values). Commas
 * inside quoted-strings and inside <...> do not split.
 */
import { quotedEnd } from './chars.ts';
import { SipParseError } from './errors.ts';

/**
 * Calls `each(start, end)` for every element of s (bounds trimmed of SP/HTAB). Empty elements are
 * reported too (start === end; an empty s is one empty element); an unterminated quote or angle bracket
 * throws.
 */
export function forEachElement(s: string, each: (start: number, end: number) => void): void {
  let start = 0;
  let angle = false;
  const n = s.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 44;
    if (c === 34 && !angle) {
      const e = quotedEnd(s, i, n);
      if (e < 0) throw new SipParseError('Unterminated quoted string');
      i = e - 1;
    } else if (c === 60) {
      angle = true;
    } else if (c === 62) {
      angle = false;
    } else if (c === 44 && !angle) {
      let a = start;
      let b = i;
      while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
      while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
      each(a, b);
      start = i + 1;
    }
  }
  if (angle) throw new SipParseError('Unterminated <');
}

/**
 * Splits a header value at top-level commas, trimming each element and dropping empty ones. Never
 * throws: on an unbalanced quote or bracket the rest of the value is one element.
 */
export function splitHeaderValues(s: string): string[] {
  if (s.indexOf(',') < 0) {
    const t = s.trim();
    return t === '' ? [] : [t];
  }
  // After a top-level comma the scan is back at top level, so each element can be found afresh.
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const comma = firstTopLevelComma(s, start);
    const t = (comma < 0 ? s.slice(start) : s.slice(start, comma)).trim();
    if (t !== '') out.push(t);
    if (comma < 0) return out;
    start = comma + 1;
  }
}

/** Strict split for structured headers (Via, Contact, Route): an empty element is a syntax error. */
export function splitStrict(s: string): string[] {
  if (s.indexOf(',') < 0) {
    const t = s.trim();
    if (t === '') throw new SipParseError('Empty header value');
    return [t];
  }
  const out: string[] = [];
  forEachElement(s, (a, b) => {
    if (a === b) throw new SipParseError('Empty list element');
    out.push(s.slice(a, b));
  });
  return out;
}

/**
 * Index of the first top-level comma at or after `from`, or -1. Used to cut the first element off a
 * field without splitting the whole value.
 */
export function firstTopLevelComma(s: string, from = 0): number {
  let angle = false;
  let quoted = false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quoted) {
      if (c === 92) i++;
      else if (c === 34) quoted = false;
    } else if (c === 34) {
      quoted = true;
    } else if (c === 60) {
      angle = true;
    } else if (c === 62) {
      angle = false;
    } else if (c === 44 && !angle) {
      return i;
    }
  }
  return -1;
}
