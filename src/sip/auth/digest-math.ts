/**
 * Pure digest computations: RFC 7616 section 3.4.1-3.4.3 (response, A1, A2), section 3.4.4 (userhash),
 * RFC 2617 section 3.2.2 (qop=auth-int, -sess) and RFC 2069 (no qop), as used by RFC 3261 section 22.4.
 * Strings are hashed as UTF-8; digests are lower-case hex.
 */
import { createHash } from 'node:crypto';
import { type DigestAlgorithm, baseAlgorithm, isSessionAlgorithm, nodeHashName } from './digest-algorithm.ts';

export type DigestQop = 'auth' | 'auth-int';

/** H(data) with the algorithm's hash. */
export function digestHash(algorithm: DigestAlgorithm, data: string | Uint8Array): string {
  return createHash(nodeHashName(algorithm)).update(data).digest('hex');
}

/** H(username ":" realm ":" password): the HA1 a server may store instead of the password. */
export function computeHa1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return digestHash(baseAlgorithm(algorithm), `${username}:${realm}:${password}`);
}

/** For -sess algorithms, H(HA1 ":" nonce ":" cnonce); for the others HA1 unchanged. */
export function sessionHa1(algorithm: DigestAlgorithm, ha1: string, nonce: string, cnonce: string): string {
  return isSessionAlgorithm(algorithm) ? digestHash(algorithm, `${ha1}:${nonce}:${cnonce}`) : ha1;
}

/** H(method ":" uri), or with qop=auth-int H(method ":" uri ":" H(body)). */
export function computeHa2(
  algorithm: DigestAlgorithm,
  method: string,
  uri: string,
  qop?: DigestQop,
  body: string | Uint8Array = '',
): string {
  const a2 = qop === 'auth-int' ? `${method}:${uri}:${digestHash(algorithm, body)}` : `${method}:${uri}`;
  return digestHash(algorithm, a2);
}

/** H(username ":" realm), sent instead of the username when the server asks for userhash=true. */
export function computeUserhash(algorithm: DigestAlgorithm, username: string, realm: string): string {
  return digestHash(algorithm, `${username}:${realm}`);
}

export interface DigestResponseInput {
  algorithm: DigestAlgorithm;
  /** HA1 of the base algorithm, i.e. H(username:realm:password); -sess is applied here. */
  ha1: string;
  nonce: string;
  method: string;
  uri: string;
  /** Absent for RFC 2069 clients: then nc and cnonce are not used (except cnonce for -sess). */
  qop?: DigestQop;
  /** Eight hex digits, as on the wire ("00000001"). */
  nc?: string;
  cnonce?: string;
  body?: string | Uint8Array;
}

/** The request-digest (the `response` parameter). */
export function computeDigestResponse(input: DigestResponseInput): string {
  const { algorithm, nonce, qop } = input;
  const cnonce = input.cnonce ?? '';
  const ha1 = sessionHa1(algorithm, input.ha1, nonce, cnonce);
  const ha2 = computeHa2(algorithm, input.method, input.uri, qop, input.body);
  if (qop === undefined) return digestHash(algorithm, `${ha1}:${nonce}:${ha2}`);
  return digestHash(algorithm, `${ha1}:${nonce}:${input.nc ?? ''}:${cnonce}:${qop}:${ha2}`);
}

/** Formats a nonce count as the eight lower-case hex digits of RFC 7616 section 3.4 (`nc=00000001`). */
export function formatNonceCount(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** Parses an nc value (1 to 8 hex digits); undefined if it is not one. */
export function parseNonceCount(nc: string): number | undefined {
  return /^[0-9a-fA-F]{1,8}$/.test(nc) ? Number.parseInt(nc, 16) : undefined;
}
