/**
 * The UAC answering 401 (Unauthorized) and 407 (Proxy Authentication Required) for requests it sends in
 * and around dialogs (RFC 3261 sections 22.2, 22.3; RFC 7616; RFC 8760): the request is sent again once
 * per challenge with Authorization / Proxy-Authorization credentials, a new CSeq and a fresh branch (the
 * host adds a new Via). A second challenge for a realm already answered means the credentials were
 * refused, unless it says the nonce was stale.
 */
import { errorMessage, type Logger } from '../../lib/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import {
  DigestClientState, answerDigestChallenge, parseDigestChallenges, selectDigestChallenges,
  type DigestUserCredentials,
} from '../auth/index.ts';

export type { DigestUserCredentials };

/** Answers per request chain (one INVITE and its retries, one BYE and its retries ...). */
const MAX_ROUNDS = 3;

export class AuthSession {
  readonly #credentials: DigestUserCredentials | undefined;
  readonly #state = new DigestClientState();
  readonly #log: Logger;

  constructor(credentials: DigestUserCredentials | undefined, log: Logger) {
    this.#credentials = credentials;
    this.#log = log;
  }

  get hasCredentials(): boolean {
    return this.#credentials !== undefined;
  }

  /** A fresh per-chain tracker of the realms answered (start one per request sent by the application). */
  chain(): AuthChain {
    return { answered: new Set<string>(), rounds: 0 };
  }

  /**
   * The request to send instead of `req` after the challenge `res`, with CSeq number `seq`, or undefined
   * when the challenge cannot (or must not) be answered.
   */
  retry(req: SipRequest, res: SipResponse, seq: number, chain: AuthChain): SipRequest | undefined {
    const creds = this.#credentials;
    if (!creds || (res.status !== 401 && res.status !== 407) || chain.rounds >= MAX_ROUNDS) return undefined;
    const proxy = res.status === 407;
    try {
      const challenges = parseDigestChallenges(res.headers.getAll(proxy ? 'proxy-authenticate' : 'www-authenticate'));
      const fresh = challenges.filter((c) => c.stale === true || !chain.answered.has(c.realm));
      const [challenge] = selectDigestChallenges(fresh);
      if (!challenge) return undefined;
      const answer = answerDigestChallenge(challenge, creds, req.method, req.uri, { state: this.#state, body: req.body });
      chain.answered.add(answer.realm);
      chain.rounds++;
      const next = req.clone();
      next.headers.remove('via');
      next.headers.set('CSeq', `${seq} ${req.method}`);
      next.headers.set(proxy ? 'Proxy-Authorization' : 'Authorization', answer.header);
      return next;
    } catch (err) {
      this.#log.debug({ err: errorMessage(err), method: req.method }, 'cannot answer the challenge');
      return undefined;
    }
  }
}

export interface AuthChain {
  answered: Set<string>;
  rounds: number;
}

/** Copies the credentials of a request (section 13.2.2.4: the ACK for a 2xx carries the INVITE's). */
export function copyCredentials(from: SipRequest, to: SipRequest): void {
  for (const name of ['authorization', 'proxy-authorization']) {
    const values = from.headers.getAll(name);
    if (values.length > 0) to.headers.set(name === 'authorization' ? 'Authorization' : 'Proxy-Authorization', values);
  }
}
