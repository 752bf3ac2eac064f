/**
 * SIP digest verification for registration hooks (RFC 2617 §3.2.2, RFC 7616 §3.4.1, RFC 8760).
 * Algorithms MD5 and SHA-256 (and their -sess forms); qop absent or "auth". The hash of the
 * entity body needed by qop "auth-int" is not part of a registration hook, so it is refused.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface DigestRequest {
  method: string;
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm?: string;
  qop?: string;
  cnonce?: string;
  nc?: string;
}

export type DigestSecret = { password: string } | { ha1: string };

export type DigestResult =
  | { ok: true }
  | { ok: false; reason: 'mismatch' | 'unsupported-algorithm' | 'unsupported-qop' | 'malformed' };

type HashName = 'md5' | 'sha256';

export function parseAlgorithm(algorithm: string | undefined): { hash: HashName; sess: boolean } | null {
  const name = (algorithm ?? 'MD5').trim().toUpperCase();
  switch (name) {
    case '':
    case 'MD5':
      return { hash: 'md5', sess: false };
    case 'MD5-SESS':
      return { hash: 'md5', sess: true };
    case 'SHA-256':
      return { hash: 'sha256', sess: false };
    case 'SHA-256-SESS':
      return { hash: 'sha256', sess: true };
    default:
      return null;
  }
}

export function hashHex(hash: HashName, text: string): string {
  return createHash(hash).update(text, 'utf8').digest('hex');
}

/** HA1 = H(username:realm:password). */
export function computeHa1(hash: HashName, username: string, realm: string, password: string): string {
  return hashHex(hash, `${username}:${realm}:${password}`);
}

/** The expected `response` value for a request and a secret, or null when it cannot be computed. */
export function expectedResponse(req: DigestRequest, secret: DigestSecret): string | null {
  const alg = parseAlgorithm(req.algorithm);
  if (!alg) return null;
  const qop = req.qop?.trim() ?? '';
  if (qop !== '' && qop.toLowerCase() !== 'auth') return null;
  let ha1 = 'ha1' in secret ? secret.ha1.trim().toLowerCase() : computeHa1(alg.hash, req.username, req.realm, secret.password);
  if (alg.sess) ha1 = hashHex(alg.hash, `${ha1}:${req.nonce}:${req.cnonce ?? ''}`);
  const ha2 = hashHex(alg.hash, `${req.method}:${req.uri}`);
  const parts = [ha1, req.nonce];
  if (qop !== '') parts.push(req.nc ?? '', req.cnonce ?? '', qop);
  parts.push(ha2);
  return hashHex(alg.hash, parts.join(':'));
}

export function verifyDigest(req: DigestRequest, secret: DigestSecret): DigestResult {
  if (!parseAlgorithm(req.algorithm)) return { ok: false, reason: 'unsupported-algorithm' };
  const qop = req.qop?.trim() ?? '';
  if (qop !== '' && qop.toLowerCase() !== 'auth') return { ok: false, reason: 'unsupported-qop' };
  const expected = expectedResponse(req, secret);
  if (expected === null) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(req.response.trim().toLowerCase(), 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}

/** Reads a registration hook body into a DigestRequest, or returns the name of a missing field. */
export function parseDigestRequest(body: unknown): DigestRequest | string {
  if (body === null || typeof body !== 'object') return 'authRequest';
  const b = body as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    const v = b[k];
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    return undefined;
  };
  const required = ['method', 'username', 'realm', 'nonce', 'uri', 'response'] as const;
  for (const k of required) if (str(k) === undefined) return k;
  return {
    method: str('method') as string,
    username: str('username') as string,
    realm: str('realm') as string,
    nonce: str('nonce') as string,
    uri: str('uri') as string,
    response: str('response') as string,
    algorithm: str('algorithm'),
    qop: str('qop'),
    cnonce: str('cnonce'),
    nc: str('nc'),
  };
}
