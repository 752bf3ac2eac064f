/**
 * Header parameters: generic-param, via-params, contact-params, m-parameter (RFC 3261 sections 7.3.1,
 * 20.10, 20.42 and 25.1). Names are lower-cased; a parameter without a value maps to null; a
 * quoted-string value keeps its quotes so that it is written back unchanged.
 *
 *   generic-param = token [ EQUAL gen-value ]      gen-value = token / host / quoted-string
 *   SEMI = SWS ";" SWS                              EQUAL = SWS "=" SWS
 */
import type { Params } from './types.ts';
import { C_IPV6, C_TOKEN, allChars, isChar, quotedEnd, scanClass, skipWs } from './chars.ts';
import { SipParseError } from './errors.ts';

/** Sets a parameter, keeping "__proto__" an own property instead of touching the prototype. */
export function setParam(out: Params, name: string, value: string | null): void {
  if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  else out[name] = value;
}

function valueEnd(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  if (c === 34) {
    const e = quotedEnd(s, i, end);
    if (e < 0) throw new SipParseError('Unterminated quoted string');
    return e;
  }
  if (c === 91) {
    const close = s.indexOf(']', i);
    if (close < 0 || close >= end || !allChars(s, C_IPV6, i + 1, close)) throw new SipParseError('Bad IPv6 reference');
    return close + 1;
  }
  let j = i;
  while (j < end) {
    const d = s.charCodeAt(j);
    if (!isChar(d, C_TOKEN) && d !== 58) break;
    j++;
  }
  return j;
}

/** Usual parameter names by length, matched without slicing. */
const KNOWN: string[][] = [];
for (const n of ['tag', 'branch', 'received', 'rport', 'lr', 'transport', 'maddr', 'ttl', 'expires', 'q', 'user', 'method', 'boundary', 'charset']) {
  (KNOWN[n.length] ??= []).push(n);
}

function knownParamAt(s: string, start: number, end: number): string | undefined {
  const list = KNOWN[end - start];
  if (list === undefined) return undefined;
  for (let k = 0; k < list.length; k++) if (s.startsWith(list[k]!, start)) return list[k];
  return undefined;
}

/**
 * Parses `*( SEMI generic-param )` in s[i, end) into `out`. Returns the index where the parameters end
 * (the first character that is not part of them, after trailing whitespace). Throws on a malformed
 * parameter such as an empty name (";;") or a missing value after "=".
 */
export function parseParamsAt(s: string, i: number, end: number, out: Params): number {
  for (;;) {
    let j = skipWs(s, i, end);
    if (j >= end || s.charCodeAt(j) !== 59) return j;
    j = skipWs(s, j + 1, end);
    const nameEnd = scanClass(s, j, C_TOKEN, end);
    if (nameEnd === j) throw new SipParseError('Bad parameter name');
    const name = knownParamAt(s, j, nameEnd) ?? s.slice(j, nameEnd).toLowerCase();
    let k = skipWs(s, nameEnd, end);
    if (k < end && s.charCodeAt(k) === 61) {
      k = skipWs(s, k + 1, end);
      const ve = k < end ? valueEnd(s, k, end) : k;
      if (ve === k) throw new SipParseError('Missing parameter value', { detail: `Missing value for parameter "${name}"` });
      setParam(out, name, s.slice(k, ve));
      i = ve;
    } else {
      setParam(out, name, null);
      i = nameEnd;
    }
  }
}

/** Parses ";a=b;c" (the leading ";" is optional) into a Params object. */
export function parseParams(s: string): Params {
  const out: Params = {};
  let text = s.trim();
  if (text === '') return out;
  if (text.charCodeAt(0) !== 59) text = ';' + text;
  const end = parseParamsAt(text, 0, text.length, out);
  if (end !== text.length) throw new SipParseError('Bad parameters', { detail: `Unexpected text in parameters "${s}"` });
  return out;
}

function needsQuotes(v: string): boolean {
  if (v === '') return true;
  const c = v.charCodeAt(0);
  if (c === 34 && v.length >= 2 && quotedEnd(v, 0) === v.length) return false;
  if (c === 91 && v.charCodeAt(v.length - 1) === 93 && allChars(v, C_IPV6, 1, v.length - 1)) return false;
  for (let i = 0; i < v.length; i++) {
    const d = v.charCodeAt(i);
    if (!isChar(d, C_TOKEN) && d !== 58) return true;
  }
  return false;
}

function quoteValue(v: string): string {
  let out = '"';
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 34 || c === 92) out += '\\';
    out += c === 13 || c === 10 ? ' ' : v[i];
  }
  return out + '"';
}

/**
 * Writes ";name" / ";name=value" for each parameter. A value that is neither a token, an IPv6
 * reference nor already a quoted-string is written as a quoted-string.
 */
export function formatParams(p: Params): string {
  let out = '';
  for (const name in p) {
    const v = p[name];
    if (v === undefined) continue;
    out += ';' + name;
    if (v !== null) out += '=' + (needsQuotes(v) ? quoteValue(v) : v);
  }
  return out;
}
