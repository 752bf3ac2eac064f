/**
 * URI comparison: RFC 3261 section 19.1.4 for SIP and SIPS URIs, RFC 3966 section 4 for tel URIs, and
 * RFC 5118 section 4.2 for IPv6 references (compared as addresses, not as text).
 */
import type { Params, SipUri } from './types.ts';
import { parseUri } from './uri.ts';

function lowerOrNull(v: string | null | undefined): string | null | undefined {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

/** Canonical text of an IPv6 reference ("[0:0::1]" and "[::1]" compare equal). */
function hostKey(host: string): string {
  const h = host.toLowerCase();
  if (h.charCodeAt(0) !== 91) return h;
  try {
    return new URL(`http://${h}/`).hostname;
  } catch {
    return h;
  }
}

/** Parameters that must be present in both URIs to match (RFC 3261 19.1.4). */
const MUST_MATCH = new Set(['user', 'ttl', 'method', 'maddr']);

function sipParamsEqual(a: Params, b: Params): boolean {
  for (const name in a) {
    if (name in b) {
      if (lowerOrNull(a[name]) !== lowerOrNull(b[name])) return false;
    } else if (MUST_MATCH.has(name)) {
      return false;
    }
  }
  for (const name in b) {
    if (!(name in a) && MUST_MATCH.has(name)) return false;
  }
  return true;
}

function headerMap(h: Record<string, string>): Map<string, string> {
  const m = new Map<string, string>();
  for (const name in h) m.set(name.toLowerCase(), h[name] ?? '');
  return m;
}

function headersEqual(a: Record<string, string>, b: Record<string, string>): boolean {
  const ma = headerMap(a);
  const mb = headerMap(b);
  if (ma.size !== mb.size) return false;
  for (const [k, v] of ma) if (mb.get(k) !== v) return false;
  return true;
}

function telParamsEqual(a: Params, b: Params): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const name of ka) {
    if (!(name in b) || lowerOrNull(a[name]) !== lowerOrNull(b[name])) return false;
  }
  return true;
}

function telNumber(n: string | undefined): string {
  return (n ?? '').replace(/[-.()]/g, '').toLowerCase();
}

/**
 * True when two URIs are equivalent. Strings are parsed first (a malformed one throws SipParseError).
 */
export function uriEquals(a: SipUri | string, b: SipUri | string): boolean {
  const x = typeof a === 'string' ? parseUri(a) : a;
  const y = typeof b === 'string' ? parseUri(b) : b;
  if (x.scheme !== y.scheme) return false;
  if (x.scheme === 'tel') return telNumber(x.user) === telNumber(y.user) && telParamsEqual(x.params, y.params);
  if (x.scheme !== 'sip' && x.scheme !== 'sips') return x.opaque === y.opaque;
  if ((x.user ?? '') !== (y.user ?? '') || x.password !== y.password) return false;
  if (hostKey(x.host) !== hostKey(y.host) || x.port !== y.port) return false;
  return sipParamsEqual(x.params, y.params) && headersEqual(x.headers, y.headers);
}
