/**
 * Digest algorithms: MD5 and MD5-sess (RFC 2617, RFC 3261 section 22.4), SHA-256 and SHA-512-256 with
 * their -sess variants (RFC 7616 section 3.2, RFC 8760 section 2). Algorithm tokens compare
 * case-insensitively; this module returns them in their registered spelling.
 */

export type DigestAlgorithm =
  | 'MD5'
  | 'MD5-sess'
  | 'SHA-256'
  | 'SHA-256-sess'
  | 'SHA-512-256'
  | 'SHA-512-256-sess';

export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = [
  'MD5',
  'MD5-sess',
  'SHA-256',
  'SHA-256-sess',
  'SHA-512-256',
  'SHA-512-256-sess',
];

/** node:crypto hash names for the base hash of each algorithm. */
const NODE_HASH: Record<DigestAlgorithm, string> = {
  'MD5': 'md5',
  'MD5-sess': 'md5',
  'SHA-256': 'sha256',
  'SHA-256-sess': 'sha256',
  'SHA-512-256': 'sha512-256',
  'SHA-512-256-sess': 'sha512-256',
};

/** Higher is stronger; used by clients to pick among several challenges (RFC 8760 section 2.4). */
const STRENGTH: Record<DigestAlgorithm, number> = {
  'MD5': 1,
  'MD5-sess': 1,
  'SHA-256': 2,
  'SHA-256-sess': 2,
  'SHA-512-256': 3,
  'SHA-512-256-sess': 3,
};

const BY_LOWER = new Map<string, DigestAlgorithm>(DIGEST_ALGORITHMS.map((a) => [a.toLowerCase(), a]));

/** The registered spelling of an algorithm token, or undefined if it is not one we implement. */
export function toDigestAlgorithm(token: string): DigestAlgorithm | undefined {
  return BY_LOWER.get(token.trim().toLowerCase());
}

export function isSessionAlgorithm(algorithm: DigestAlgorithm): boolean {
  return algorithm.endsWith('-sess');
}

/** The algorithm without its -sess suffix: the one a stored HA1 is computed with. */
export function baseAlgorithm(algorithm: DigestAlgorithm): DigestAlgorithm {
  return isSessionAlgorithm(algorithm) ? (algorithm.slice(0, -'-sess'.length) as DigestAlgorithm) : algorithm;
}

export function nodeHashName(algorithm: DigestAlgorithm): string {
  return NODE_HASH[algorithm];
}

export function algorithmStrength(algorithm: DigestAlgorithm): number {
  return STRENGTH[algorithm];
}
