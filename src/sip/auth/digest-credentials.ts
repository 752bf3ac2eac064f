/**
 * The Digest credentials carried by Authorization and Proxy-Authorization: RFC 3261 section 25.1
 * `digest-response`, RFC 7616 section 3.4 (userhash, `username*` in the RFC 5987 ext-value form).
 */
import { type AuthHeaderItem, formatAuthHeaderItem, parseAuthHeader } from './auth-params.ts';
import { AuthError } from './auth-error.ts';
import { isDigestScheme } from './digest-challenge.ts';

export interface DigestCredentials {
  /** The user name, or H(username:realm) when `userhash` is true. */
  username: string;
  realm: string;
  nonce: string;
  /** The digest-uri: a copy of the Request-URI (RFC 3261 section 22.4). */
  uri: string;
  response: string;
  /** The algorithm token as sent (absent means MD5). */
  algorithm?: string;
  cnonce?: string;
  opaque?: string;
  /** The message-qop ("auth", "auth-int"); absent for RFC 2069 clients. */
  qop?: string;
  /** nonce-count, eight hex digits. */
  nc?: string;
  userhash?: boolean;
  /** Parameters this model does not name (lower-case names). */
  extra?: Record<string, string>;
}

const KNOWN = new Set([
  'username', 'username*', 'realm', 'nonce', 'uri', 'response', 'algorithm', 'cnonce', 'opaque', 'qop', 'nc', 'userhash',
]);
const TOKEN_PARAMS: ReadonlySet<string> = new Set(['algorithm', 'qop', 'nc', 'userhash']);
const REQUIRED = ['realm', 'nonce', 'uri', 'response'] as const;

/** Decodes an RFC 5987 ext-value (`UTF-8''J%C3%A4s%C3%B8n`); undefined if it is not one we can read. */
function decodeExtValue(v: string): string | undefined {
  const m = /^([A-Za-z0-9!#$%&+\-^_`{}~]+)'[A-Za-z0-9-]*'(.*)$/.exec(v);
  if (!m || m[1]!.toLowerCase() !== 'utf-8') return undefined;
  try {
    return decodeURIComponent(m[2]!);
  } catch {
    return undefined;
  }
}

/** Builds typed credentials from a parsed header item; throws SIP_AUTH_MALFORMED when incomplete. */
export function digestCredentialsFromItem(item: AuthHeaderItem): DigestCredentials {
  const p = item.params;
  if (!isDigestScheme(item.scheme)) throw new AuthError('SIP_AUTH_MALFORMED', `not Digest credentials: ${item.scheme}`);
  let username = p['username'];
  if (username === undefined && p['username*'] !== undefined) username = decodeExtValue(p['username*']);
  if (username === undefined) throw new AuthError('SIP_AUTH_MALFORMED', 'Digest credentials without username');
  for (const name of REQUIRED) {
    if (p[name] === undefined) throw new AuthError('SIP_AUTH_MALFORMED', `Digest credentials without ${name}`);
  }
  const cr: DigestCredentials = {
    username,
    realm: p['realm']!,
    nonce: p['nonce']!,
    uri: p['uri']!,
    response: p['response']!,
  };
  if (p['algorithm'] !== undefined) cr.algorithm = p['algorithm'];
  if (p['cnonce'] !== undefined) cr.cnonce = p['cnonce'];
  if (p['opaque'] !== undefined) cr.opaque = p['opaque'];
  if (p['qop'] !== undefined) cr.qop = p['qop'];
  if (p['nc'] !== undefined) cr.nc = p['nc'];
  if (p['userhash'] !== undefined) cr.userhash = p['userhash'].toLowerCase() === 'true';
  const extra = Object.entries(p).filter(([name]) => !KNOWN.has(name));
  if (extra.length > 0) cr.extra = Object.fromEntries(extra);
  return cr;
}

/**
 * Every set of Digest credentials in one or more Authorization / Proxy-Authorization values (other
 * schemes are skipped). Throws SIP_AUTH_MALFORMED on bad syntax or missing required parameters.
 */
export function parseDigestCredentialsList(values: string | readonly string[]): DigestCredentials[] {
  const list = typeof values === 'string' ? [values] : values;
  const out: DigestCredentials[] = [];
  for (const value of list) {
    for (const item of parseAuthHeader(value)) {
      if (isDigestScheme(item.scheme)) out.push(digestCredentialsFromItem(item));
    }
  }
  return out;
}

/** The Digest credentials of one header value; throws SIP_AUTH_MALFORMED if there are none. */
export function parseDigestCredentials(value: string): DigestCredentials {
  const first = parseDigestCredentialsList(value)[0];
  if (!first) throw new AuthError('SIP_AUTH_MALFORMED', 'no Digest credentials in header value');
  return first;
}

/** Formats credentials as an Authorization / Proxy-Authorization header value. */
export function formatDigestCredentials(cr: DigestCredentials): string {
  const params: Record<string, string> = {
    username: cr.username,
    realm: cr.realm,
    nonce: cr.nonce,
    uri: cr.uri,
    response: cr.response,
  };
  if (cr.algorithm !== undefined) params['algorithm'] = cr.algorithm;
  if (cr.cnonce !== undefined) params['cnonce'] = cr.cnonce;
  if (cr.opaque !== undefined) params['opaque'] = cr.opaque;
  if (cr.qop !== undefined) params['qop'] = cr.qop;
  if (cr.nc !== undefined) params['nc'] = cr.nc;
  if (cr.userhash !== undefined) params['userhash'] = cr.userhash ? 'true' : 'false';
  for (const [name, value] of Object.entries(cr.extra ?? {})) {
    if (!KNOWN.has(name.toLowerCase())) params[name] = value;
  }
  return formatAuthHeaderItem({ scheme: 'Digest', params }, TOKEN_PARAMS);
}
