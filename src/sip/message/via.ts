/**
 * Via header field values (RFC 3261 sections 18.2.1, 20.42 and 25.1; RFC 3581 rport; RFC 7118 WS/WSS).
 *
 *   via-parm = sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol = protocol-name SLASH protocol-version SLASH transport     SLASH = SWS "/" SWS
 *   sent-by = host [ COLON port ]                                           COLON = SWS ":" SWS
 */
import type { Via } from './types.ts';
import { C_HOST, C_IPV6, C_TOKEN, allChars, isWsp, scanClass, skipWs, trimEndIndex } from './chars.ts';
import { SipParseError } from './errors.ts';
import { formatParams, parseParamsAt } from './params.ts';
import { splitStrict } from './split.ts';

function bad(detail: string, s: string): SipParseError {
  return new SipParseError('Bad Via', { detail: `${detail} in Via "${s}"` });
}

function token(s: string, i: number, end: number, what: string): number {
  const e = scanClass(s, i, C_TOKEN, end);
  if (e === i) throw bad(`Missing ${what}`, s);
  return e;
}

function slash(s: string, i: number, end: number): number {
  const j = skipWs(s, i, end);
  if (j >= end || s.charCodeAt(j) !== 47) throw bad('Missing "/"', s);
  return skipWs(s, j + 1, end);
}

const TRANSPORTS = ['UDP', 'TCP', 'TLS', 'WSS', 'WS', 'SCTP'];

/** The upper-case transport at i when it is a usual one followed by whitespace (no allocation). */
function knownTransport(s: string, i: number): string | undefined {
  for (const t of TRANSPORTS) {
    if (s.startsWith(t, i) && isWsp(s.charCodeAt(i + t.length))) return t;
  }
  return undefined;
}

/** Parses one via-parm. Throws SipParseError with reason "Bad Via". */
export function parseVia(s: string): Via {
  const end = trimEndIndex(s, 0, s.length);
  let i = skipWs(s, 0, end);
  let e: number;
  let protocol: string;
  let transport: string;
  const known = s.startsWith('SIP/2.0/', i) ? knownTransport(s, i + 8) : undefined;
  if (known !== undefined) {
    protocol = 'SIP/2.0';
    transport = known;
    e = i + 8 + known.length;
  } else {
    e = token(s, i, end, 'protocol name');
    const name = s.slice(i, e);
    i = slash(s, e, end);
    e = token(s, i, end, 'protocol version');
    protocol = name.toUpperCase() + '/' + s.slice(i, e);
    i = slash(s, e, end);
    e = token(s, i, end, 'transport');
    transport = s.slice(i, e).toUpperCase();
  }
  if (e >= end || !isWsp(s.charCodeAt(e))) throw bad('Missing sent-by', s);
  i = skipWs(s, e, end);
  if (s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i);
    if (close < 0 || close >= end || !allChars(s, C_IPV6, i + 1, close)) throw bad('Bad IPv6 reference', s);
    e = close + 1;
  } else {
    e = scanClass(s, i, C_HOST, end);
    if (e === i) throw bad('Missing host', s);
  }
  const via: Via = { protocol, transport, host: s.slice(i, e), params: {} };
  i = skipWs(s, e, end);
  if (i < end && s.charCodeAt(i) === 58) {
    const p = skipWs(s, i + 1, end);
    let q = p;
    let port = 0;
    while (q < end) {
      const c = s.charCodeAt(q);
      if (c < 48 || c > 57) break;
      port = port * 10 + (c - 48);
      q++;
    }
    if (q === p || q - p > 5 || port > 65535) throw bad('Bad port', s);
    via.port = port;
    i = q;
  }
  let stop: number;
  try {
    stop = parseParamsAt(s, i, end, via.params);
  } catch (err) {
    throw bad(err instanceof Error ? err.message : 'Bad parameter', s);
  }
  if (stop !== end) throw bad(`Unexpected "${s[stop]}"`, s);
  return via;
}

/** Parses every via-parm of one Via header field value. */
export function parseViaList(value: string): Via[] {
  const parts = splitStrict(value);
  const out = new Array<Via>(parts.length);
  for (let k = 0; k < parts.length; k++) out[k] = parseVia(parts[k]!);
  return out;
}

/** Writes a via-parm: "SIP/2.0/UDP host:port;params". */
export function formatVia(v: Via): string {
  let host = v.host;
  if (host.indexOf(':') >= 0 && host.charCodeAt(0) !== 91) host = `[${host}]`;
  return `${v.protocol}/${v.transport} ${host}${v.port !== undefined ? ':' + v.port : ''}${formatParams(v.params)}`;
}
