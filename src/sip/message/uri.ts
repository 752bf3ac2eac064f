/**
 * SIP and SIPS URIs (RFC 3261 sections 19.1.1, 19.1.2 and 25.1), tel URIs (RFC 3966 section 3), IPv6
 * references (RFC 3261 section 25.1, RFC 5118) and other absolute URIs kept opaque.
 *
 *   SIP-URI = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
 *   userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"
 *
 * The user part may hold ";", "?" and "/" (user-unreserved), so the userinfo ends at the first "@",
 * which may not appear unescaped anywhere else in the URI.
 */
import type { Params, SipUri } from './types.ts';
import {
  C_HNV,
  C_HOST,
  C_IPV6,
  C_PARAM,
  C_PASSWORD,
  C_SCHEME,
  C_USER,
  allChars,
  isChar,
  scanClass,
} from './chars.ts';
import { SipParseError } from './errors.ts';
import { escapeUri, unescapeUri } from './escape.ts';
import { setParam } from './params.ts';

function bad(detail: string, s: string): SipParseError {
  return new SipParseError('Bad URI', { detail: `${detail} in URI "${s}"` });
}

/** Scans characters of class `flag` or "%" escapes; returns the end index. */
function scanEscaped(s: string, i: number, flag: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c !== 37 && !isChar(c, flag)) break;
    i++;
  }
  return i;
}

/** Index just past the scheme's colon; throws when s does not start with `scheme ":"`. */
export function schemeEnd(s: string): number {
  const colon = s.indexOf(':');
  const c = s.charCodeAt(0);
  if (colon <= 0 || !((c | 32) >= 97 && (c | 32) <= 122) || !allChars(s, C_SCHEME, 0, colon)) {
    throw bad('Missing or bad scheme', s);
  }
  return colon + 1;
}

function parseUriParams(s: string, p: number, out: Params): number {
  const n = s.length;
  while (p < n && s.charCodeAt(p) === 59) {
    const nameStart = p + 1;
    const nameEnd = scanEscaped(s, nameStart, C_PARAM);
    if (nameEnd === nameStart) throw bad('Empty parameter name', s);
    const name = unescapeUri(s, nameStart, nameEnd).toLowerCase();
    if (nameEnd < n && s.charCodeAt(nameEnd) === 61) {
      const valueEnd = scanEscaped(s, nameEnd + 1, C_PARAM);
      if (valueEnd === nameEnd + 1) throw bad(`Empty value of parameter "${name}"`, s);
      setParam(out, name, unescapeUri(s, nameEnd + 1, valueEnd));
      p = valueEnd;
    } else {
      setParam(out, name, null);
      p = nameEnd;
    }
  }
  return p;
}

function parseUriHeaders(s: string, p: number, out: Record<string, string>): number {
  const n = s.length;
  if (p >= n || s.charCodeAt(p) !== 63) return p;
  do {
    const nameStart = p + 1;
    const nameEnd = scanEscaped(s, nameStart, C_HNV);
    if (nameEnd === nameStart || nameEnd >= n || s.charCodeAt(nameEnd) !== 61) throw bad('Bad header', s);
    const valueEnd = scanEscaped(s, nameEnd + 1, C_HNV);
    const name = unescapeUri(s, nameStart, nameEnd);
    const value = unescapeUri(s, nameEnd + 1, valueEnd);
    if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    else out[name] = value;
    p = valueEnd;
  } while (p < n && s.charCodeAt(p) === 38);
  return p;
}

/** Parses host [":" port] at p; returns the index after it. */
function parseHostPort(s: string, p: number, uri: SipUri): number {
  const n = s.length;
  let h = p;
  if (s.charCodeAt(p) === 91) {
    const close = s.indexOf(']', p);
    if (close < 0 || !allChars(s, C_IPV6, p + 1, close)) throw bad('Bad IPv6 reference', s);
    h = close + 1;
  } else {
    h = scanClass(s, p, C_HOST);
    if (h === p) throw bad('Missing host', s);
  }
  uri.host = s.slice(p, h);
  if (h < n && s.charCodeAt(h) === 58) {
    let q = h + 1;
    let port = 0;
    while (q < n) {
      const c = s.charCodeAt(q);
      if (c < 48 || c > 57) break;
      port = port * 10 + (c - 48);
      q++;
    }
    if (q === h + 1 || q - h - 1 > 5 || port > 65535) throw bad('Bad port', s);
    uri.port = port;
    h = q;
  }
  return h;
}

function parseSipUri(s: string, scheme: 'sip' | 'sips', start: number): SipUri {
  const uri: SipUri = { scheme, host: '', params: {}, headers: {} };
  let p = start;
  const at = s.indexOf('@', start);
  if (at >= 0) {
    const userEnd = scanEscaped(s, start, C_USER);
    if (userEnd === start) throw bad('Empty user', s);
    if (userEnd === at) {
      uri.user = unescapeUri(s, start, at);
    } else if (s.charCodeAt(userEnd) === 58) {
      const pwEnd = scanEscaped(s, userEnd + 1, C_PASSWORD);
      if (pwEnd !== at) throw bad('Bad password', s);
      uri.user = unescapeUri(s, start, userEnd);
      uri.password = unescapeUri(s, userEnd + 1, at);
    } else {
      throw bad('Bad user part', s);
    }
    p = at + 1;
  }
  p = parseHostPort(s, p, uri);
  p = parseUriParams(s, p, uri.params);
  p = parseUriHeaders(s, p, uri.headers);
  if (p !== s.length) throw bad(`Unexpected "${s[p]}"`, s);
  return uri;
}

/** RFC 3966 section 3: telephone-subscriber with its parameters. The number goes in `user`. */
function parseTelUri(s: string, start: number): SipUri {
  let p = start;
  const n = s.length;
  while (p < n) {
    const c = s.charCodeAt(p);
    if (c === 59) break;
    const ok = (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102) || c === 42 || c === 35 || c === 43 ||
      c === 45 || c === 46 || c === 40 || c === 41 || c === 37 || (c | 32) === 112 || (c | 32) === 119;
    if (!ok) throw bad('Bad telephone number', s);
    p++;
  }
  if (p === start) throw bad('Empty telephone number', s);
  const uri: SipUri = { scheme: 'tel', user: unescapeUri(s, start, p), host: '', params: {}, headers: {} };
  p = parseUriParams(s, p, uri.params);
  if (p !== n) throw bad(`Unexpected "${s[p]}"`, s);
  return uri;
}

/** Characters that never appear unescaped in an absolute URI. */
function opaqueOk(s: string, start: number): boolean {
  if (start >= s.length) return false;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 34 || c === 60 || c === 62 || c === 92 || c === 94 || c === 96 || c === 123 || c === 124 || c === 125) {
      return false;
    }
  }
  return true;
}

/** Parses a SIP, SIPS or tel URI, or keeps any other absolute URI opaque. Throws SipParseError. */
export function parseUri(s: string): SipUri {
  if (s.startsWith('sip:')) return parseSipUri(s, 'sip', 4);
  if (s.startsWith('sips:')) return parseSipUri(s, 'sips', 5);
  const colon = schemeEnd(s);
  const scheme = s.slice(0, colon - 1).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(s, scheme, colon);
  if (scheme === 'tel') return parseTelUri(s, colon);
  if (!opaqueOk(s, colon)) throw bad('Bad characters', s);
  return { scheme, host: '', params: {}, headers: {}, opaque: s.slice(colon) };
}

function formatUriParams(params: Params): string {
  let out = '';
  for (const name in params) {
    const v = params[name];
    if (v === undefined) continue;
    out += ';' + escapeUri(name, C_PARAM);
    if (v !== null) out += '=' + escapeUri(v, C_PARAM);
  }
  return out;
}

function formatHost(host: string): string {
  if (host.indexOf(':') >= 0 && host.charCodeAt(0) !== 91) return `[${host}]`;
  return host;
}

/** Writes a URI, escaping each component with the characters its grammar allows. */
export function formatUri(u: SipUri): string {
  if (u.scheme === 'tel') return 'tel:' + escapeUri(u.user ?? '', C_PARAM | C_PASSWORD) + formatUriParams(u.params);
  if (u.scheme !== 'sip' && u.scheme !== 'sips') return `${u.scheme}:${u.opaque ?? ''}`;
  let out = u.scheme + ':';
  if (u.user !== undefined && u.user !== '') {
    out += escapeUri(u.user, C_USER);
    if (u.password !== undefined) out += ':' + escapeUri(u.password, C_PASSWORD);
    out += '@';
  }
  out += formatHost(u.host);
  if (u.port !== undefined) out += ':' + u.port;
  out += formatUriParams(u.params);
  let sep = '?';
  for (const name in u.headers) {
    out += sep + escapeUri(name, C_HNV) + '=' + escapeUri(u.headers[name] ?? '', C_HNV);
    sep = '&';
  }
  return out;
}
