/**
 * Outbound registration to a provider (RFC 3261 section 10.2): REGISTER with a constant Call-ID and an
 * increasing CSeq (10.2.4), refresh before the granted expiry, 401/407 answered with Digest credentials
 * (section 22.2, RFC 7616), 423 answered with the Min-Expires (10.2.8), exponential back-off after
 * failures, and an Expires: 0 REGISTER on stop (10.2.2). Driven by the injected Clock; the request goes
 * out through an injected send function (the transaction layer), which adds Via.
 */
import {
  type Clock, type Logger, type TimerHandle, TypedEmitter, errorMessage, newCallId, newTag, silentLogger,
} from '../../lib/index.ts';
import {
  type DigestChallenge, DigestClientState, answerDigestChallenge, parseDigestChallenges, selectDigestChallenges,
} from '../auth/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import { buildRegisterRequest, grantedExpires, headerNumber } from './register-message.ts';

export type RegistrationState = 'idle' | 'registering' | 'registered' | 'failed' | 'unregistering' | 'stopped';

export type RegistrationClientEvents = {
  registered: { expires: number; response: SipResponse };
  failed: { status?: number; reason: string; retryInMs: number };
  unregistered: { status?: number; reason?: string };
};

export interface RegistrationClientOptions {
  /** Sends a request and resolves with its final response (rejects on timeout/transport failure). */
  send: (request: SipRequest) => Promise<SipResponse>;
  clock: Clock;
  /** Request-URI: the registrar, e.g. "sip:sip.provider.com". */
  registrar: string;
  /** The address-of-record registered (To and From), e.g. "sip:1001@sip.provider.com". */
  aor: string;
  /** The Contact to bind, as a header value, e.g. "<sip:1001@203.0.113.5:5060;transport=udp>". */
  contact: string;
  credentials?: { username: string; password: string };
  /** Requested expiry in seconds (default 3600). */
  expires?: number;
  /** First retry delay after a failure (default 30 000 ms), doubled each time up to `maxRetryMs`. */
  retryMs?: number;
  /** Back-off cap (default 600 000 ms). */
  maxRetryMs?: number;
  /** Extra header fields for every REGISTER (User-Agent, Supported...). */
  headers?: ReadonlyArray<readonly [string, string]>;
  /** Call-ID (default a random one); constant for the life of the client. */
  callId?: string;
  logger?: Logger;
}

/** When to refresh a registration granted for `expires` seconds: expires minus max(5 s, 10%). */
export function refreshDelayMs(expires: number): number {
  const ms = expires * 1000;
  return Math.max(0, ms - Math.max(5_000, ms / 10));
}

const MAX_ROUNDS = 4;

interface Outcome {
  ok: boolean;
  status?: number;
  reason: string;
  response?: SipResponse;
}

export class RegistrationClient extends TypedEmitter<RegistrationClientEvents> {
  readonly callId: string;
  readonly #o: RegistrationClientOptions;
  readonly #fromTag = newTag();
  readonly #auth = new DigestClientState();
  readonly #log: Logger;
  #cseq = 0;
  #expires: number;
  #state: RegistrationState = 'idle';
  #timer: TimerHandle | undefined;
  #failures = 0;
  #everRegistered = false;
  #busy: Promise<unknown> = Promise.resolve();
  /** The challenge last answered, reused (nc + 1) to authorize refreshes without a round trip. */
  #lastChallenge: { header: 'Authorization' | 'Proxy-Authorization'; challenge: DigestChallenge } | undefined;

  constructor(options: RegistrationClientOptions) {
    const log = options.logger ?? silentLogger();
    super((err, event) => log.warn({ err: errorMessage(err), event }, 'registration listener failed'));
    this.#o = options;
    this.#log = log;
    this.#expires = options.expires ?? 3600;
    this.callId = options.callId ?? newCallId();
  }

  get state(): RegistrationState {
    return this.#state;
  }

  /** The expiry (seconds) that will be requested next; raised by a 423. */
  get expires(): number {
    return this.#expires;
  }

  /** Starts registering; idempotent while running. */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#schedule(0);
  }

  /** Cancels timers and, if registered or registering, sends REGISTER with Expires: 0. Idempotent. */
  async stop(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'unregistering') return this.#busy.then(() => {});
    const wasActive = this.#state === 'registered' || this.#state === 'registering' || (this.#state === 'failed' && this.#everRegistered);
    this.#cancelTimer();
    this.#state = 'unregistering';
    const run = this.#busy.then(async () => {
      if (!wasActive) {
        this.#state = 'stopped';
        return;
      }
      const outcome = await this.#transaction(0);
      this.#state = 'stopped';
      this.emit('unregistered', outcome.ok
        ? { ...(outcome.status !== undefined ? { status: outcome.status } : {}) }
        : { ...(outcome.status !== undefined ? { status: outcome.status } : {}), reason: outcome.reason });
    });
    this.#busy = run.catch(() => {});
    await run;
  }

  /** Stops at once without unregistering (process shutdown); idempotent. */
  close(): void {
    this.#cancelTimer();
    this.#state = 'stopped';
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #schedule(delayMs: number): void {
    this.#cancelTimer();
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      const run = this.#busy.then(() => this.#register());
      this.#busy = run.catch((err: unknown) => this.#log.error({ err: errorMessage(err) }, 'registration cycle failed'));
    }, delayMs);
  }

  async #register(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'unregistering') return;
    this.#state = 'registering';
    const outcome = await this.#transaction(this.#expires);
    if (this.#state !== 'registering') return;
    const granted = outcome.ok && outcome.response ? grantedExpires(outcome.response, this.#o.contact, this.#expires) : 0;
    if (outcome.ok && outcome.response && granted > 0) {
      this.#failures = 0;
      this.#everRegistered = true;
      this.#state = 'registered';
      this.#schedule(refreshDelayMs(granted));
      this.emit('registered', { expires: granted, response: outcome.response });
      return;
    }
    const retryInMs = this.#retryDelay(outcome.response);
    this.#state = 'failed';
    this.#schedule(retryInMs);
    this.emit('failed', {
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      reason: outcome.ok ? 'registrar granted no expiry' : outcome.reason,
      retryInMs,
    });
  }

  #retryDelay(response: SipResponse | undefined): number {
    const base = this.#o.retryMs ?? 30_000;
    const cap = this.#o.maxRetryMs ?? 600_000;
    const backoff = Math.min(cap, base * 2 ** Math.min(this.#failures, 30));
    this.#failures++;
    const retryAfter = response ? headerNumber(response, 'retry-after') : undefined;
    return retryAfter !== undefined && retryAfter > 0 ? Math.min(cap, Math.max(backoff, retryAfter * 1000)) : backoff;
  }

  /** One REGISTER exchange, with its authentication and 423 retries (bounded). */
  async #transaction(expires: number): Promise<Outcome> {
    const answered = new Set<string>();
    let authorization = this.#preemptive();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const request = buildRegisterRequest({
        registrar: this.#o.registrar,
        aor: this.#o.aor,
        contact: this.#o.contact,
        fromTag: this.#fromTag,
        callId: this.callId,
        cseq: ++this.#cseq,
        expires,
        headers: [...(this.#o.headers ?? []), ...(authorization ? [authorization] : [])],
      });
      let response: SipResponse;
      try {
        response = await this.#o.send(request);
      } catch (err) {
        return { ok: false, reason: errorMessage(err) };
      }
      const status = response.status;
      if (status >= 200 && status < 300) return { ok: true, status, reason: response.reason, response };
      if (status === 401 || status === 407) {
        const next = this.#answer(response, answered);
        if (typeof next === 'string') {
          this.#lastChallenge = undefined;
          return { ok: false, status, reason: next, response };
        }
        authorization = next;
        continue;
      }
      if (status === 423 && expires > 0) {
        const min = headerNumber(response, 'min-expires');
        if (min === undefined || min <= expires) return { ok: false, status, reason: 'Interval Too Brief without a usable Min-Expires', response };
        this.#expires = expires = min;
        continue;
      }
      return { ok: false, status, reason: response.reason, response };
    }
    return { ok: false, reason: 'too many challenges' };
  }

  /** The credentials for a 401/407, or why it cannot be answered. */
  #answer(response: SipResponse, answered: Set<string>): readonly [string, string] | string {
    const creds = this.#o.credentials;
    if (!creds) return 'authentication required but no credentials configured';
    const header = response.status === 407 ? 'Proxy-Authorization' : 'Authorization';
    try {
      const challenges = parseDigestChallenges(response.headers.getAll(response.status === 407 ? 'proxy-authenticate' : 'www-authenticate'));
      // RFC 3261 section 22.2: once credentials for a realm were sent in this exchange, a new challenge
      // for it (whatever its nonce) means they were refused, unless it says the nonce was stale.
      const fresh = challenges.filter((c) => c.stale === true || !answered.has(c.realm));
      if (challenges.length > 0 && fresh.length === 0) return 'credentials rejected';
      const [challenge] = selectDigestChallenges(fresh);
      if (!challenge) return 'no Digest challenge this client can answer';
      const answer = answerDigestChallenge(challenge, creds, 'REGISTER', this.#o.registrar, { state: this.#auth });
      answered.add(answer.realm);
      this.#lastChallenge = { header, challenge };
      return [header, answer.header] as const;
    } catch (err) {
      return `cannot answer challenge: ${errorMessage(err)}`;
    }
  }

  /**
   * Credentials for a refresh from the last challenge (nc + 1), if there was one. A challenge in reply
   * does not count as a refusal: the server may have dropped the nonce without saying it was stale.
   */
  #preemptive(): readonly [string, string] | undefined {
    const last = this.#lastChallenge;
    const creds = this.#o.credentials;
    if (!last || !creds) return undefined;
    const answer = answerDigestChallenge(last.challenge, creds, 'REGISTER', this.#o.registrar, { state: this.#auth });
    return [last.header, answer.header] as const;
  }
}
