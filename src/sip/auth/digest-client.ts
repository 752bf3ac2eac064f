/**
 * Client side of Digest authentication (RFC 3261 section 22.2-22.3, RFC 7616 section 3.4, RFC 8760
 * section 2.4): answers a 401/407 challenge with Authorization / Proxy-Authorization credentials. When
 * several challenges are offered the strongest supported algorithm wins. DigestClientState remembers,
 * per realm, the nonce, its nonce-count and cnonce so that reusing a nonce increments nc.
 */
import { randomToken } from '../../lib/index.ts';
import { AuthError } from './auth-error.ts';
import { type DigestAlgorithm, algorithmStrength, toDigestAlgorithm } from './digest-algorithm.ts';
import { type DigestChallenge, parseDigestChallenges } from './digest-challenge.ts';
import { type DigestCredentials, formatDigestCredentials } from './digest-credentials.ts';
import {
  type DigestQop, computeDigestResponse, computeHa1, computeUserhash, formatNonceCount,
} from './digest-math.ts';

export interface DigestUserCredentials {
  username: string;
  password: string;
}

interface RealmState {
  nonce: string;
  nc: number;
  cnonce: string;
}

/** Per-realm nonce, nonce-count and cnonce of one client (one registration, one dialog...). */
export class DigestClientState {
  readonly #realms = new Map<string, RealmState>();

  /** The next nc/cnonce to use with `nonce` in `realm`: nc 1 and a new cnonce for a new nonce. */
  next(realm: string, nonce: string, newCnonce: () => string): { nc: number; cnonce: string } {
    const prev = this.#realms.get(realm);
    if (prev && prev.nonce === nonce) {
      prev.nc++;
      return { nc: prev.nc, cnonce: prev.cnonce };
    }
    const state = { nonce, nc: 1, cnonce: newCnonce() };
    this.#realms.set(realm, state);
    return { nc: state.nc, cnonce: state.cnonce };
  }

  /** The nonce last used in `realm`, if any. */
  nonceOf(realm: string): string | undefined {
    return this.#realms.get(realm)?.nonce;
  }

  forget(realm?: string): void {
    if (realm === undefined) this.#realms.clear();
    else this.#realms.delete(realm);
  }
}

export interface DigestAnswerOptions {
  state?: DigestClientState;
  /** cnonce generator (default 16 random alphanumerics). */
  cnonce?: () => string;
  /** The message body, used only when the server offers only qop=auth-int. */
  body?: string | Uint8Array;
}

export interface DigestAnswer {
  /** The Authorization / Proxy-Authorization header value. */
  header: string;
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  stale: boolean;
  nc?: number;
}

interface Choice {
  challenge: DigestChallenge;
  algorithm: DigestAlgorithm;
  qop: DigestQop | undefined;
  order: number;
}

function choose(challenge: DigestChallenge, order: number): Choice | undefined {
  const algorithm = toDigestAlgorithm(challenge.algorithm ?? 'MD5');
  if (!algorithm) return undefined;
  if (challenge.qop === undefined) return { challenge, algorithm, qop: undefined, order };
  const offered = challenge.qop.map((q) => q.toLowerCase());
  if (offered.includes('auth')) return { challenge, algorithm, qop: 'auth', order };
  if (offered.includes('auth-int')) return { challenge, algorithm, qop: 'auth-int', order };
  return undefined;
}

/** The challenges to answer: per realm, the one with the strongest algorithm (server order breaks ties). */
export function selectDigestChallenges(challenges: readonly DigestChallenge[]): DigestChallenge[] {
  const best = new Map<string, Choice>();
  challenges.forEach((ch, i) => {
    const c = choose(ch, i);
    if (!c) return;
    const prev = best.get(ch.realm);
    if (!prev || algorithmStrength(c.algorithm) > algorithmStrength(prev.algorithm)) best.set(ch.realm, c);
  });
  return [...best.values()].sort((a, b) => a.order - b.order).map((c) => c.challenge);
}

/** Computes credentials for one parsed challenge. Throws SIP_AUTH_UNSUPPORTED if it cannot be answered. */
export function answerDigestChallenge(
  challenge: DigestChallenge,
  credentials: DigestUserCredentials,
  method: string,
  uri: string,
  options: DigestAnswerOptions = {},
): DigestAnswer {
  const c = choose(challenge, 0);
  if (!c) {
    throw new AuthError('SIP_AUTH_UNSUPPORTED', `cannot answer Digest algorithm=${challenge.algorithm ?? 'MD5'} qop=${challenge.qop?.join(',') ?? ''}`);
  }
  const { algorithm, qop } = c;
  const realm = challenge.realm;
  const newCnonce = options.cnonce ?? (() => randomToken(16));
  const needsCnonce = qop !== undefined || algorithm.endsWith('-sess');
  const counted = needsCnonce ? (options.state ?? new DigestClientState()).next(realm, challenge.nonce, newCnonce) : undefined;
  const ha1 = computeHa1(algorithm, credentials.username, realm, credentials.password);
  const nc = qop !== undefined && counted ? formatNonceCount(counted.nc) : undefined;
  const response = computeDigestResponse({
    algorithm,
    ha1,
    nonce: challenge.nonce,
    method,
    uri,
    ...(qop !== undefined ? { qop } : {}),
    ...(nc !== undefined ? { nc } : {}),
    ...(counted ? { cnonce: counted.cnonce } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const cr: DigestCredentials = {
    username: challenge.userhash ? computeUserhash(algorithm, credentials.username, realm) : credentials.username,
    realm,
    nonce: challenge.nonce,
    uri,
    response,
  };
  if (challenge.algorithm !== undefined) cr.algorithm = algorithm;
  if (counted) cr.cnonce = counted.cnonce;
  if (challenge.opaque !== undefined) cr.opaque = challenge.opaque;
  if (qop !== undefined) cr.qop = qop;
  if (nc !== undefined) cr.nc = nc;
  if (challenge.userhash) cr.userhash = true;
  return {
    header: formatDigestCredentials(cr),
    realm,
    nonce: challenge.nonce,
    algorithm,
    stale: challenge.stale ?? false,
    ...(counted && qop !== undefined ? { nc: counted.nc } : {}),
  };
}

/**
 * Answers every realm challenged in a 401/407 (one credentials value per realm, RFC 3261 section 22.3).
 * Throws SIP_AUTH_MALFORMED on unparsable challenges and SIP_AUTH_UNSUPPORTED if none can be answered.
 */
export function answerDigestChallenges(
  challengeHeaderValues: string | readonly string[],
  credentials: DigestUserCredentials,
  method: string,
  uri: string,
  options: DigestAnswerOptions = {},
): DigestAnswer[] {
  const parsed = parseDigestChallenges(challengeHeaderValues);
  const chosen = selectDigestChallenges(parsed);
  if (chosen.length === 0) throw new AuthError('SIP_AUTH_UNSUPPORTED', 'no Digest challenge with a supported algorithm and qop');
  return chosen.map((ch) => answerDigestChallenge(ch, credentials, method, uri, options));
}

/**
 * The credentials header value answering the strongest supported challenge among the given
 * WWW-Authenticate / Proxy-Authenticate values.
 */
export function answerChallenge(
  challengeHeaderValue: string | readonly string[],
  credentials: DigestUserCredentials,
  method: string,
  uri: string,
  body?: string | Uint8Array,
  options: Omit<DigestAnswerOptions, 'body'> = {},
): string {
  const [first] = answerDigestChallenges(challengeHeaderValue, credentials, method, uri, {
    ...options,
    ...(body !== undefined ? { body } : {}),
  });
  return first!.header;
}
