/**
 * The registrar (RFC 3261 section 10.3): authorizes a REGISTER for its address-of-record, applies the
 * rules of register-plan.ts over a BindingsStore, commits all binding changes or none, and reports every
 * binding added, refreshed, removed or expired as a typed event. Requests for one AOR are processed one
 * at a time; results (including rejections) are values, not exceptions.
 */
import type { NameAddr, SipUri } from '../message/index.ts';
import {
  type Clock, type Logger, TypedEmitter, errorMessage, silentLogger,
} from '../../lib/index.ts';
import { aorUser, canonicalAor } from './aor.ts';
import type { Binding, BindingSource, BindingsStore } from './bindings-store.ts';
import {
  type BindingChange, type BindingChangeCause, type RegisterPolicy, type RegisterRequestFields, planRegister,
  remainingSeconds,
} from './register-plan.ts';

export interface BindingEvent {
  aor: string;
  binding: Binding;
  /** For `refreshed`: the binding before this REGISTER. */
  previous?: Binding;
  /** For `removed`. */
  cause?: BindingChangeCause | 'admin';
}

export type RegistrarEvents = {
  added: BindingEvent;
  refreshed: BindingEvent;
  removed: BindingEvent;
  expired: BindingEvent;
};

export interface RegisterAuthorization {
  /** The user the request authenticated as (digest username), if it was authenticated. */
  authenticatedUser: string | undefined;
  aor: string;
  /** The user part of the AOR. */
  aorUser: string;
  to: NameAddr;
}

export interface RegistrarOptions {
  store: BindingsStore;
  clock: Clock;
  /** Seconds (default 3600). */
  defaultExpires?: number;
  /** Seconds (default 60). */
  minExpires?: number;
  /** Seconds (default 7200). */
  maxExpires?: number;
  /** Bindings per AOR (default 10). */
  maxContacts?: number;
  /** Default 'evict-oldest'. */
  overflow?: RegisterPolicy['overflow'];
  /**
   * RFC 3261 section 10.3 step 6. Default: an authenticated user may register only the AOR whose user
   * part is its own name; an unauthenticated request (the caller chose not to authenticate) is allowed.
   */
  authorize?: (request: RegisterAuthorization) => boolean | Promise<boolean>;
  /** Step 5: whether this registrar holds the AOR (else 404 Not Found). Default: every AOR. */
  acceptAor?: (aor: string, to: SipUri) => boolean | Promise<boolean>;
  logger?: Logger;
}

export interface RegisterInput extends RegisterRequestFields {
  source: BindingSource;
  authenticatedUser?: string;
}

export type RegisterResult =
  | {
      ok: true;
      status: 200;
      reason: 'OK';
      aor: string;
      /** Contact header values of every current binding, each with `;expires=` (step 8). */
      contacts: string[];
      bindings: Binding[];
    }
  | {
      ok: false;
      status: 400 | 403 | 404 | 423 | 500;
      reason: string;
      aor?: string;
      /** For 423: the Min-Expires header value. */
      minExpires?: number;
    };

/** Current bindings as 200 OK Contact values. */
export function contactsWithExpires(bindings: readonly Binding[], now: number): string[] {
  return bindings.map((b) => `${b.contact};expires=${remainingSeconds(b, now)}`);
}

/** Orders bindings for forking: highest q first (no q counts as 1.0), then most recently refreshed. */
export function sortByPreference(bindings: readonly Binding[]): Binding[] {
  return [...bindings].sort((a, b) => (b.q ?? 1) - (a.q ?? 1) || b.updatedAt - a.updatedAt);
}

const defaultAuthorize = (r: RegisterAuthorization): boolean =>
  r.authenticatedUser === undefined || r.authenticatedUser === r.aorUser;

export class Registrar extends TypedEmitter<RegistrarEvents> {
  readonly #store: BindingsStore;
  readonly #clock: Clock;
  readonly #policy: RegisterPolicy;
  readonly #authorize: NonNullable<RegistrarOptions['authorize']>;
  readonly #acceptAor: RegistrarOptions['acceptAor'];
  readonly #log: Logger;
  readonly #locks = new Map<string, Promise<unknown>>();
  readonly #unsubscribe: () => void;
  #closed = false;

  constructor(options: RegistrarOptions) {
    const log = options.logger ?? silentLogger();
    super((err, event) => log.warn({ err: errorMessage(err), event }, 'registrar listener failed'));
    this.#log = log;
    this.#store = options.store;
    this.#clock = options.clock;
    this.#policy = {
      defaultExpires: options.defaultExpires ?? 3600,
      minExpires: options.minExpires ?? 60,
      maxExpires: options.maxExpires ?? 7200,
      maxContacts: options.maxContacts ?? 10,
      overflow: options.overflow ?? 'evict-oldest',
    };
    this.#authorize = options.authorize ?? defaultAuthorize;
    this.#acceptAor = options.acceptAor;
    this.#unsubscribe = this.#store.onExpired((expired) => {
      for (const binding of expired) this.emit('expired', { aor: binding.aor, binding });
    });
  }

  /** Processes one REGISTER (steps 5-8; authentication, step 4, is the caller's: see authenticatedUser). */
  async register(input: RegisterInput): Promise<RegisterResult> {
    const aor = canonicalAor(input.to.uri);
    if (aor === undefined) return { ok: false, status: 404, reason: 'Not Found' };
    if (this.#acceptAor && !(await this.#acceptAor(aor, input.to.uri))) return { ok: false, status: 404, reason: 'Not Found', aor };
    const allowed = await this.#authorize({ authenticatedUser: input.authenticatedUser, aor, aorUser: aorUser(aor), to: input.to });
    if (!allowed) return { ok: false, status: 403, reason: 'Forbidden', aor };
    return this.#withLock(aor, () => this.#registerLocked(aor, input));
  }

  /** Current bindings of an AOR (or of a URI, canonicalised), most preferred first. */
  async lookup(aorOrUri: string | SipUri): Promise<Binding[]> {
    const aor = typeof aorOrUri === 'string' ? aorOrUri : canonicalAor(aorOrUri);
    return aor === undefined ? [] : sortByPreference(await this.#store.list(aor));
  }

  /** Every current binding (for `show registrations`). */
  async bindings(): Promise<Binding[]> {
    return this.#store.all();
  }

  /** Removes bindings administratively (one by key, or all of the AOR) and reports them as removed. */
  async unregister(aor: string, key?: string): Promise<Binding[]> {
    return this.#withLock(aor, async () => {
      const removed = key === undefined ? await this.#store.removeAll(aor) : [await this.#store.remove(aor, key)].filter((b) => b !== undefined);
      for (const binding of removed) this.emit('removed', { aor, binding, cause: 'admin' });
      return removed;
    });
  }

  /** Stops listening to the store; the store itself belongs to whoever created it. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    this.removeAllListeners();
  }

  async #registerLocked(aor: string, input: RegisterInput): Promise<RegisterResult> {
    const now = this.#clock.now();
    const existing = await this.#store.list(aor);
    const plan = planRegister(aor, existing, input, input.source, now, this.#policy);
    if (!plan.ok) {
      const { ok: _ok, ...rest } = plan;
      return { ok: false, ...rest, aor };
    }
    try {
      await this.#commit(plan.changes);
    } catch (err) {
      this.#log.error({ err: errorMessage(err), aor }, 'binding update failed');
      await this.#rollback(plan.changes);
      return { ok: false, status: 500, reason: 'Server Internal Error', aor };
    }
    for (const ch of plan.changes) {
      if (ch.kind === 'added') this.emit('added', { aor, binding: ch.binding });
      else if (ch.kind === 'refreshed') this.emit('refreshed', { aor, binding: ch.binding, previous: ch.previous });
      else this.emit('removed', { aor, binding: ch.binding, cause: ch.cause });
    }
    const bindings = sortByPreference(plan.bindings);
    return { ok: true, status: 200, reason: 'OK', aor, contacts: contactsWithExpires(bindings, now), bindings };
  }

  async #commit(changes: readonly BindingChange[]): Promise<void> {
    for (const ch of changes) {
      if (ch.kind === 'removed') await this.#store.remove(ch.binding.aor, ch.binding.key);
      else await this.#store.upsert(ch.binding);
    }
  }

  /** Best effort: puts back what the failed commit may have changed (step 8: all or nothing). */
  async #rollback(changes: readonly BindingChange[]): Promise<void> {
    for (const ch of changes) {
      try {
        if (ch.kind === 'added') await this.#store.remove(ch.binding.aor, ch.binding.key);
        else if (ch.kind === 'refreshed') await this.#store.upsert(ch.previous);
        else await this.#store.upsert(ch.binding);
      } catch (err) {
        this.#log.error({ err: errorMessage(err), aor: ch.binding.aor }, 'binding rollback failed');
      }
    }
  }

  async #withLock<T>(aor: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(aor) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    this.#locks.set(aor, tail);
    try {
      return await run;
    } finally {
      if (this.#locks.get(aor) === tail) this.#locks.delete(aor);
    }
  }
}
