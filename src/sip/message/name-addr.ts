/**
 * name-addr and addr-spec with header parameters: From, To, Contact, Route, Record-Route, Reply-To,
 * Refer-To, P-Asserted-Identity (RFC 3261 sections 20.10, 20.20, 20.39 and 25.1).
 *
 *   name-addr = [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name = *(token LWS) / quoted-string
 *
 * Without angle brackets the URI ends at the first ";" or whitespace and every following parameter is a
 * header parameter, not a URI parameter (section 20.10); such a URI may not hold "?" or ",".
 */
import type { ContactValue, NameAddr, Params } from './types.ts';
import { C_TOKEN, isChar, quote, quotedEnd, skipWs, trimEndIndex, unquote } from './chars.ts';
import { SipParseError } from './errors.ts';
import { formatParams, parseParamsAt } from './params.ts';
import { splitStrict } from './split.ts';
import { formatUri, parseUri } from './uri.ts';

/** True when s[a, b) is empty or a run of tokens separated by whitespace (an unquoted display-name). */
function isTokenPhrase(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && !isChar(c, C_TOKEN)) return false;
  }
  return true;
}

function finish(s: string, p: number, end: number, params: Params): void {
  const q = parseParamsAt(s, p, end, params);
  if (q !== end) throw new SipParseError('Bad header parameters', { detail: `Unexpected "${s[q]}" in "${s}"` });
}

/** Parses one name-addr / addr-spec value with its header parameters. Throws SipParseError. */
export function parseNameAddr(s: string): NameAddr {
  const end = trimEndIndex(s, 0, s.length);
  const i = skipWs(s, 0, end);
  if (i >= end) throw new SipParseError('Empty address');
  const params: Params = {};
  let displayName: string | undefined;
  let lt = -1;
  if (s.charCodeAt(i) === 34) {
    const qe = quotedEnd(s, i, end);
    if (qe < 0) throw new SipParseError('Unterminated quoted display name');
    displayName = unquote(s.slice(i, qe));
    lt = skipWs(s, qe, end);
    if (lt >= end || s.charCodeAt(lt) !== 60) throw new SipParseError('Missing < after display name');
  } else {
    lt = s.indexOf('<', i);
    if (lt >= end) lt = -1;
    if (lt >= 0) {
      const nameEnd = trimEndIndex(s, i, lt);
      if (!isTokenPhrase(s, i, nameEnd)) {
        const colon = s.indexOf(':', i);
        // "sip:a@b;p=<x>" is an addr-spec that happens to contain "<" later on.
        if (colon < 0 || colon > lt || !isTokenPhrase(s, i, colon) || s.slice(i, colon).indexOf(' ') >= 0) {
          throw new SipParseError('Bad display name', { detail: `Display name must be a token list or quoted in "${s}"` });
        }
        lt = -1;
      } else if (nameEnd > i) {
        displayName = s.slice(i, nameEnd);
      }
    }
  }
  if (lt >= 0) {
    const gt = s.indexOf('>', lt + 1);
    if (gt < 0 || gt >= end) throw new SipParseError('Missing >');
    const uri = parseUri(s.slice(lt + 1, gt));
    finish(s, gt + 1, end, params);
    return displayName === undefined ? { uri, params } : { displayName, uri, params };
  }
  let u = i;
  while (u < end) {
    const c = s.charCodeAt(u);
    if (c === 59 || c === 32 || c === 9) break;
    if (c === 63 || c === 44) throw new SipParseError('URI must be in <>', { detail: `A URI holding "?" or "," must be enclosed in <> in "${s}"` });
    u++;
  }
  const uri = parseUri(s.slice(i, u));
  finish(s, u, end, params);
  return { uri, params };
}

/** Writes a name-addr, always with angle brackets; the display name is written as a quoted-string. */
export function formatNameAddr(n: NameAddr): string {
  const name = n.displayName !== undefined && n.displayName !== '' ? quote(n.displayName) + ' ' : '';
  return `${name}<${formatUri(n.uri)}>${formatParams(n.params)}`;
}

/** Parses a comma-separated list of name-addr values (Route, Record-Route, Path...). */
export function parseNameAddrList(value: string): NameAddr[] {
  const parts = splitStrict(value);
  const out: NameAddr[] = new Array<NameAddr>(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = parseNameAddr(parts[i]!);
  return out;
}

/** Contact values: "*" (RFC 3261 section 10.2.2) or a list of name-addr with contact-params. */
export function parseContactList(value: string): ContactValue[] {
  if (value.trim() === '*') return ['*'];
  return parseNameAddrList(value);
}

/** Writes a Contact value. */
export function formatContact(c: ContactValue): string {
  return c === '*' ? '*' : formatNameAddr(c);
}
