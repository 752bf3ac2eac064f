/**
 * The Digest challenge carried by WWW-Authenticate (401) and Proxy-Authenticate (407):
 * RFC 3261 section 25.1 `digest-cln`, RFC 7616 section 3.3 (adds charset and userhash),
 * RFC 8760 section 2.4 (one challenge per algorithm, most preferred first).
 */
import { type AuthHeaderItem, formatAuthHeaderItem, parseAuthHeader } from './auth-params.ts';
import { AuthError } from './auth-error.ts';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  domain?: string;
  opaque?: string;
  stale?: boolean;
  /** The algorithm token as sent (absent means MD5); see toDigestAlgorithm. */
  algorithm?: string;
  /** qop-options ("auth", "auth-int"); absent for RFC 2069 servers. */
  qop?: string[];
  charset?: string;
  userhash?: boolean;
  /** Parameters this model does not name (lower-case names). */
  extra?: Record<string, string>;
}

const KNOWN = new Set(['realm', 'nonce', 'domain', 'opaque', 'stale', 'algorithm', 'qop', 'charset', 'userhash']);
const TOKEN_PARAMS: ReadonlySet<string> = new Set(['stale', 'algorithm', 'charset', 'userhash']);

export function isDigestScheme(scheme: string): boolean {
  return scheme.toLowerCase() === 'digest';
}

/** Builds the typed challenge from a parsed header item; throws SIP_AUTH_MALFORMED without realm/nonce. */
export function digestChallengeFromItem(item: AuthHeaderItem): DigestChallenge {
  const p = item.params;
  if (!isDigestScheme(item.scheme)) throw new AuthError('SIP_AUTH_MALFORMED', `not a Digest challenge: ${item.scheme}`);
  if (p['realm'] === undefined) throw new AuthError('SIP_AUTH_MALFORMED', 'Digest challenge without realm');
  if (p['nonce'] === undefined) throw new AuthError('SIP_AUTH_MALFORMED', 'Digest challenge without nonce');
  const ch: DigestChallenge = { realm: p['realm'], nonce: p['nonce'] };
  if (p['domain'] !== undefined) ch.domain = p['domain'];
  if (p['opaque'] !== undefined) ch.opaque = p['opaque'];
  if (p['stale'] !== undefined) ch.stale = p['stale'].toLowerCase() === 'true';
  if (p['algorithm'] !== undefined) ch.algorithm = p['algorithm'];
  if (p['qop'] !== undefined) {
    ch.qop = p['qop'].split(',').map((q) => q.trim()).filter((q) => q !== '');
  }
  if (p['charset'] !== undefined) ch.charset = p['charset'];
  if (p['userhash'] !== undefined) ch.userhash = p['userhash'].toLowerCase() === 'true';
  const extra = Object.entries(p).filter(([name]) => !KNOWN.has(name));
  if (extra.length > 0) ch.extra = Object.fromEntries(extra);
  return ch;
}

/**
 * Every Digest challenge in one or more header values (other schemes are skipped). Throws
 * SIP_AUTH_MALFORMED if a value cannot be parsed or a Digest challenge lacks realm or nonce.
 */
export function parseDigestChallenges(values: string | readonly string[]): DigestChallenge[] {
  const list = typeof values === 'string' ? [values] : values;
  const out: DigestChallenge[] = [];
  for (const value of list) {
    for (const item of parseAuthHeader(value)) {
      if (isDigestScheme(item.scheme)) out.push(digestChallengeFromItem(item));
    }
  }
  return out;
}

/** The first Digest challenge of a header value; throws SIP_AUTH_MALFORMED if there is none. */
export function parseDigestChallenge(value: string): DigestChallenge {
  const first = parseDigestChallenges(value)[0];
  if (!first) throw new AuthError('SIP_AUTH_MALFORMED', 'no Digest challenge in header value');
  return first;
}

/** Formats a challenge as a WWW-Authenticate / Proxy-Authenticate header value. */
export function formatDigestChallenge(ch: DigestChallenge): string {
  const params: Record<string, string> = { realm: ch.realm };
  if (ch.domain !== undefined) params['domain'] = ch.domain;
  params['nonce'] = ch.nonce;
  if (ch.opaque !== undefined) params['opaque'] = ch.opaque;
  if (ch.stale !== undefined) params['stale'] = ch.stale ? 'true' : 'false';
  if (ch.algorithm !== undefined) params['algorithm'] = ch.algorithm;
  if (ch.qop !== undefined) params['qop'] = ch.qop.join(',');
  if (ch.charset !== undefined) params['charset'] = ch.charset;
  if (ch.userhash !== undefined) params['userhash'] = ch.userhash ? 'true' : 'false';
  for (const [name, value] of Object.entries(ch.extra ?? {})) {
    if (!KNOWN.has(name.toLowerCase())) params[name] = value;
  }
  return formatAuthHeaderItem({ scheme: 'Digest', params }, TOKEN_PARAMS);
}
