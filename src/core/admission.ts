/**
 * Admission control for new sessions, in the spirit of FreeSWITCH's max-sessions and
 * sessions-per-second limits (switch.conf, `fsctl max_sessions` / `fsctl sps`): a cap on concurrent
 * channels and a token bucket on new ones, on the injected clock. A refusal is a value the endpoint
 * turns into `503 Service Unavailable` with Retry-After (RFC 3261 section 21.5.4, 20.33) before it
 * creates anything.
 */
import type { Clock } from '../lib/index.ts';
import { CoreError } from './core-error.ts';

export interface AdmissionOptions {
  /** Most concurrent channels; unlimited when absent. */
  maxSessions?: number;
  /** New channels per second (token refill rate); unlimited when absent. */
  sessionsPerSecond?: number;
  /** Bucket size: how many may arrive at once (default: one second's worth, at least 1). */
  burst?: number;
  /** Retry-After, in seconds, when refused for concurrency (default 5). */
  busyRetryAfter?: number;
}

export type AdmissionResult =
  | { ok: true }
  | { ok: false; status: 503; retryAfter: number; reason: 'max-sessions' | 'rate' | 'closed' | 'paused' };

/**
 * Which new sessions a pause refuses (FreeSWITCH `fsctl pause [inbound|outbound]`): `all` is its own
 * flag, independent of the two directions, as in the original.
 */
export type AdmissionDirection = 'inbound' | 'outbound';
export type PauseScope = AdmissionDirection | 'all';

function check(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= min)) {
    throw new CoreError('CORE_CONFIG', `admission ${name} must be a number >= ${min}, got ${value}`);
  }
}

export class AdmissionControl {
  readonly #clock: Clock;
  #options: AdmissionOptions = {};
  #tokens = 0;
  #refilledAt: number;
  readonly #paused = new Set<PauseScope>();

  constructor(clock: Clock, options: AdmissionOptions = {}) {
    this.#clock = clock;
    this.#refilledAt = clock.now();
    this.configure(options);
  }

  get options(): Readonly<AdmissionOptions> {
    return this.#options;
  }

  /** Changes the limits at run time (the bucket starts full). */
  configure(options: AdmissionOptions): void {
    check('maxSessions', options.maxSessions, 0);
    check('sessionsPerSecond', options.sessionsPerSecond, Number.MIN_VALUE);
    check('burst', options.burst, 1);
    check('busyRetryAfter', options.busyRetryAfter, 0);
    this.#options = { ...options };
    this.#tokens = this.#capacity();
    this.#refilledAt = this.#clock.now();
  }

  /** Pauses (or resumes) new sessions of one direction, or all; sessions in progress go on. */
  setPaused(scope: PauseScope, on: boolean): void {
    if (on) this.#paused.add(scope);
    else this.#paused.delete(scope);
  }

  /** Whether that pause flag is set (`all` is only the flag of a pause without a direction). */
  isPaused(scope: PauseScope): boolean {
    return this.#paused.has(scope);
  }

  /**
   * Admits one new session when `active` are running; takes a token when admitted. A session of a
   * paused direction (or any, while everything is paused) is refused; without a direction only the
   * `all` pause applies.
   */
  admit(active: number, direction?: AdmissionDirection): AdmissionResult {
    if (this.#paused.has('all') || (direction !== undefined && this.#paused.has(direction))) {
      return { ok: false, status: 503, retryAfter: this.#options.busyRetryAfter ?? 5, reason: 'paused' };
    }
    const { maxSessions, sessionsPerSecond, busyRetryAfter } = this.#options;
    if (maxSessions !== undefined && active >= maxSessions) {
      return { ok: false, status: 503, retryAfter: busyRetryAfter ?? 5, reason: 'max-sessions' };
    }
    if (sessionsPerSecond === undefined) return { ok: true };
    this.#refill(sessionsPerSecond);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    const retryAfter = Math.max(1, Math.ceil((1 - this.#tokens) / sessionsPerSecond));
    return { ok: false, status: 503, retryAfter, reason: 'rate' };
  }

  #capacity(): number {
    const rate = this.#options.sessionsPerSecond;
    if (rate === undefined) return 0;
    return this.#options.burst ?? Math.max(1, rate);
  }

  #refill(rate: number): void {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#refilledAt);
    this.#refilledAt = now;
    this.#tokens = Math.min(this.#capacity(), this.#tokens + (elapsed / 1000) * rate);
  }
}
