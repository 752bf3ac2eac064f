/**
 * Stateless server nonces (RFC 7616 section 3.3 and 5.4, RFC 3261 section 22.4): a nonce carries its
 * issue time and random bytes, signed with HMAC-SHA-256 over the realm, so any process holding the same
 * secret can verify it (restarts, several nodes). A correctly signed nonce older than the lifetime is
 * "stale": the client is challenged again with stale=true and retries without asking its user.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthError } from './auth-error.ts';

export interface NonceManagerOptions {
  /** HMAC key; at least 16 bytes. Nodes that must accept each other's nonces share it. */
  secret: string | Uint8Array;
  /** How long a nonce stays fresh (default 300 000 ms). */
  lifetimeMs?: number;
  /**
   * Time source in ms. Defaults to wall-clock time (Date.now) so that nonces survive restarts; tests pass
   * a VirtualClock.
   */
  clock?: { now(): number };
}

export type NonceCheck =
  | { status: 'valid'; issuedAt: number; expiresAt: number }
  | { status: 'stale'; issuedAt: number; expiresAt: number }
  | { status: 'invalid' };

const TIME_BYTES = 6;
const RANDOM_BYTES = 10;
const MAC_BYTES = 16;
const TOTAL = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;
/** Tolerated clock difference between nodes for nonces that seem to come from the future. */
const FUTURE_SKEW_MS = 5_000;

export class NonceManager {
  readonly lifetimeMs: number;
  readonly #key: Buffer;
  readonly #clock: { now(): number };

  constructor(options: NonceManagerOptions) {
    this.#key = typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : Buffer.from(options.secret);
    if (this.#key.length < 16) throw new AuthError('SIP_AUTH_CONFIG', 'nonce secret must be at least 16 bytes');
    this.lifetimeMs = options.lifetimeMs ?? 300_000;
    if (!(this.lifetimeMs > 0)) throw new AuthError('SIP_AUTH_CONFIG', 'nonce lifetime must be positive');
    this.#clock = options.clock ?? { now: () => Date.now() };
  }

  /** A fresh nonce for `realm` (base64url, 43 characters). */
  create(realm: string): string {
    const body = Buffer.alloc(TIME_BYTES + RANDOM_BYTES);
    body.writeUIntBE(Math.max(0, Math.floor(this.#clock.now())), 0, TIME_BYTES);
    randomBytes(RANDOM_BYTES).copy(body, TIME_BYTES);
    return Buffer.concat([body, this.#mac(realm, body)]).toString('base64url');
  }

  /** Checks the signature and age of a nonce presented for `realm`. */
  check(nonce: string, realm: string): NonceCheck {
    if (!/^[A-Za-z0-9_-]+$/.test(nonce)) return { status: 'invalid' };
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== TOTAL) return { status: 'invalid' };
    const body = raw.subarray(0, TIME_BYTES + RANDOM_BYTES);
    if (!timingSafeEqual(raw.subarray(TIME_BYTES + RANDOM_BYTES), this.#mac(realm, body))) return { status: 'invalid' };
    const issuedAt = body.readUIntBE(0, TIME_BYTES);
    const now = this.#clock.now();
    if (issuedAt > now + FUTURE_SKEW_MS) return { status: 'invalid' };
    const expiresAt = issuedAt + this.lifetimeMs;
    return { status: now > expiresAt ? 'stale' : 'valid', issuedAt, expiresAt };
  }

  #mac(realm: string, body: Uint8Array): Buffer {
    return createHmac('sha256', this.#key)
      .update('switchboard-digest-nonce\0')
      .update(realm, 'utf8')
      .update('\0')
      .update(body)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}
