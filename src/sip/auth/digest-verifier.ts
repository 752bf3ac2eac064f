/**
 * Server side of Digest authentication for a UAS or registrar (401 + WWW-Authenticate) and for a proxy
 * (407 + Proxy-Authenticate): RFC 3261 section 22.1-22.4, RFC 7616 section 3.3-3.5, RFC 8760 section 2.4
 * (one challenge per offered algorithm, in order of preference). Failures are result values: a wrong
 * password or a stale nonce yields fresh challenges; malformed credentials yield a 400.
 */
import { timingSafeEqual } from 'node:crypto';
import { AuthError } from './auth-error.ts';
import { type DigestAlgorithm, baseAlgorithm, toDigestAlgorithm } from './digest-algorithm.ts';
import { formatDigestChallenge } from './digest-challenge.ts';
import { type DigestCredentials, parseDigestCredentialsList } from './digest-credentials.ts';
import { type DigestQop, computeDigestResponse, computeHa1, parseNonceCount } from './digest-math.ts';
import { digestUriMatches } from './digest-uri.ts';
import { NonceCountTracker } from './nonce-count-tracker.ts';
import { NonceManager } from './nonce-manager.ts';

/** What the user lookup knows: the password, or an HA1 = H(username:realm:password) for one algorithm. */
export type DigestUserRecord = { password: string } | { ha1: string; algorithm: DigestAlgorithm };

/** Finds a user; undefined if unknown. A thrown error propagates (the caller answers 500). */
export type DigestUserLookup = (username: string, realm: string) => Promise<DigestUserRecord | undefined>;

/** 'www': 401 with WWW-Authenticate (UAS, registrar); 'proxy': 407 with Proxy-Authenticate. */
export type DigestChallengeKind = 'www' | 'proxy';

export type DigestFailureCause =
  | 'missing' | 'malformed' | 'realm' | 'nonce' | 'stale' | 'algorithm' | 'qop' | 'opaque' | 'uri'
  | 'unknown-user' | 'password' | 'replay';

export type DigestAuthResult =
  | { ok: true; username: string; realm: string; algorithm: DigestAlgorithm }
  | {
      ok: false;
      status: 400 | 401 | 403 | 407;
      /** The SIP reason phrase for the response. */
      reason: string;
      /** Why, for logs and metrics. */
      cause: DigestFailureCause;
      /** Header name for `challenges` (absent when the status carries none). */
      header?: 'WWW-Authenticate' | 'Proxy-Authenticate';
      /** Header values, one per offered algorithm, most preferred first. */
      challenges: string[];
    };

export interface DigestVerifierOptions {
  /** Nonce signing secret (at least 16 bytes), unless `nonces` is given. */
  secret?: string | Uint8Array;
  nonces?: NonceManager;
  nonceCounts?: NonceCountTracker;
  /** Nonce lifetime when the verifier builds its own NonceManager (default 300 000 ms). */
  nonceLifetimeMs?: number;
  /** Time source for nonces (default wall clock, so nonces survive restarts). */
  clock?: { now(): number };
  /** Algorithms offered, most preferred first (default SHA-256 then MD5, RFC 8760 section 2.4). */
  algorithms?: readonly DigestAlgorithm[];
  /** qop values offered (default ["auth"]). */
  qop?: readonly DigestQop[];
  /** Accept RFC 2069 credentials without qop (no replay protection is possible). Default true. */
  allowNoQop?: boolean;
  /** An opaque value to send and require back. */
  opaque?: string;
  /** Unknown users get 403 instead of a new challenge (default false: do not reveal who exists). */
  forbidUnknownUsers?: boolean;
  /** Resolves H(username:realm) to a username, enabling credentials with userhash=true. */
  resolveUserhash?: (userhash: string, realm: string, algorithm: DigestAlgorithm) => Promise<string | undefined>;
}

export interface DigestVerifyInput {
  method: string;
  /** The Request-URI as it appears on the request line. */
  requestUri: string;
  /** The Authorization (or Proxy-Authorization) header values, if any. */
  credentials: string | readonly string[] | undefined;
  realm: string;
  lookup: DigestUserLookup;
  kind?: DigestChallengeKind;
  /** Overrides the verifier's offered algorithms for this request. */
  algorithms?: readonly DigestAlgorithm[];
  /** The message body, needed only for qop=auth-int. */
  body?: string | Uint8Array;
}

export class DigestVerifier {
  readonly nonces: NonceManager;
  readonly nonceCounts: NonceCountTracker;
  readonly #algorithms: readonly DigestAlgorithm[];
  readonly #qop: readonly DigestQop[];
  readonly #allowNoQop: boolean;
  readonly #opaque: string | undefined;
  readonly #forbidUnknown: boolean;
  readonly #resolveUserhash: DigestVerifierOptions['resolveUserhash'];

  constructor(options: DigestVerifierOptions) {
    if (options.nonces) this.nonces = options.nonces;
    else if (options.secret !== undefined) {
      this.nonces = new NonceManager({
        secret: options.secret,
        ...(options.nonceLifetimeMs !== undefined ? { lifetimeMs: options.nonceLifetimeMs } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      });
    } else throw new AuthError('SIP_AUTH_CONFIG', 'DigestVerifier needs a secret or a NonceManager');
    this.nonceCounts = options.nonceCounts ?? new NonceCountTracker(options.clock ? { clock: options.clock } : {});
    this.#algorithms = options.algorithms ?? ['SHA-256', 'MD5'];
    if (this.#algorithms.length === 0) throw new AuthError('SIP_AUTH_CONFIG', 'no digest algorithm to offer');
    this.#qop = options.qop ?? ['auth'];
    this.#allowNoQop = options.allowNoQop ?? true;
    this.#opaque = options.opaque;
    this.#forbidUnknown = options.forbidUnknownUsers ?? false;
    this.#resolveUserhash = options.resolveUserhash;
  }

  /** Fresh challenge header values for `realm`, one per algorithm, sharing one nonce. */
  challenges(realm: string, options: { stale?: boolean; algorithms?: readonly DigestAlgorithm[] } = {}): string[] {
    const nonce = this.nonces.create(realm);
    return (options.algorithms ?? this.#algorithms).map((algorithm) =>
      formatDigestChallenge({
        realm,
        nonce,
        ...(this.#opaque !== undefined ? { opaque: this.#opaque } : {}),
        ...(options.stale ? { stale: true } : {}),
        algorithm,
        ...(this.#qop.length > 0 ? { qop: [...this.#qop] } : {}),
      }),
    );
  }

  async verify(input: DigestVerifyInput): Promise<DigestAuthResult> {
    const kind = input.kind ?? 'www';
    const offered = input.algorithms ?? this.#algorithms;
    const challenge = (cause: DigestFailureCause, stale = false): DigestAuthResult => ({
      ok: false,
      status: kind === 'proxy' ? 407 : 401,
      reason: kind === 'proxy' ? 'Proxy Authentication Required' : 'Unauthorized',
      cause,
      header: kind === 'proxy' ? 'Proxy-Authenticate' : 'WWW-Authenticate',
      challenges: this.challenges(input.realm, { stale, algorithms: offered }),
    });
    const reject = (status: 400 | 403, cause: DigestFailureCause): DigestAuthResult => ({
      ok: false,
      status,
      reason: status === 400 ? 'Bad Request' : 'Forbidden',
      cause,
      challenges: [],
    });

    if (input.credentials === undefined || input.credentials.length === 0) return challenge('missing');
    let all: DigestCredentials[];
    try {
      all = parseDigestCredentialsList(input.credentials);
    } catch (err) {
      if (err instanceof AuthError) return reject(400, 'malformed');
      throw err;
    }
    const cr = all.find((c) => c.realm === input.realm);
    if (!cr) return challenge(all.length === 0 ? 'missing' : 'realm');

    const algorithm = toDigestAlgorithm(cr.algorithm ?? 'MD5');
    if (!algorithm || !offered.includes(algorithm)) return challenge('algorithm');

    let qop: DigestQop | undefined;
    let nc: number | undefined;
    if (cr.qop !== undefined) {
      const q = cr.qop.toLowerCase();
      if (q !== 'auth' && q !== 'auth-int') return challenge('qop');
      if (!this.#qop.includes(q)) return challenge('qop');
      qop = q;
      if (cr.cnonce === undefined || cr.nc === undefined) return reject(400, 'malformed');
      nc = parseNonceCount(cr.nc);
      if (nc === undefined || nc === 0) return reject(400, 'malformed');
    } else {
      if (!this.#allowNoQop) return challenge('qop');
      if (algorithm.endsWith('-sess') && cr.cnonce === undefined) return reject(400, 'malformed');
    }
    if (!digestUriMatches(cr.uri, input.requestUri)) return reject(400, 'uri');
    if (this.#opaque !== undefined && cr.opaque !== this.#opaque) return challenge('opaque');

    const nonce = this.nonces.check(cr.nonce, input.realm);
    if (nonce.status === 'invalid') return challenge('nonce');

    let username = cr.username;
    if (cr.userhash) {
      const resolved = this.#resolveUserhash ? await this.#resolveUserhash(cr.username, input.realm, algorithm) : undefined;
      if (resolved === undefined) return this.#forbidUnknown ? reject(403, 'unknown-user') : challenge('unknown-user');
      username = resolved;
    }
    const record = await input.lookup(username, input.realm);
    if (!record) return this.#forbidUnknown ? reject(403, 'unknown-user') : challenge('unknown-user');
    let ha1: string;
    if ('password' in record) ha1 = computeHa1(algorithm, username, input.realm, record.password);
    else if (baseAlgorithm(record.algorithm) === baseAlgorithm(algorithm)) ha1 = record.ha1.toLowerCase();
    else return challenge('algorithm');

    const expected = computeDigestResponse({
      algorithm,
      ha1,
      nonce: cr.nonce,
      method: input.method,
      uri: cr.uri,
      ...(qop !== undefined ? { qop, nc: cr.nc ?? '' } : {}),
      ...(cr.cnonce !== undefined ? { cnonce: cr.cnonce } : {}),
      ...(input.body !== undefined ? { body: input.body } : {}),
    });
    if (!sameHex(expected, cr.response)) return challenge('password');
    if (nonce.status === 'stale') return challenge('stale', true);
    if (nc !== undefined) {
      const counted = this.nonceCounts.check(cr.nonce, nc, nonce.issuedAt, nonce.expiresAt);
      if (counted === 'replay') return challenge('replay');
      if (counted === 'stale') return challenge('stale', true);
    }
    return { ok: true, username, realm: input.realm, algorithm };
  }
}

function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
