/**
 * The referrer's side of REFER (RFC 3515): the implicit subscription a REFER creates, identified by the
 * REFER's CSeq number (the Event: refer;id= parameter, section 2.4.6). Each NOTIFY carries a
 * message/sipfrag status line of the referred request's progress ('100 Trying', '180 Ringing', '200 OK'
 * or a failure); the subscription ends with Subscription-State: terminated (RFC 6665), when the REFER is
 * rejected, when the dialog ends, or when it expires (64*T1 before the first NOTIFY, then the expires of
 * the last Subscription-State).
 */
import { TypedEmitter, errorMessage, type Listener } from '../../lib/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import { parseParams } from '../message/index.ts';
import type { DialogContext } from './dialog-context.ts';
import { parseSipfrag, type StatusLine } from './sipfrag.ts';
import { TimerSet } from './timer-set.ts';

export type ReferOutcome =
  | { ok: true; status: number; reason: string }
  | { ok: false; status: number; reason: string; stage: 'refer' | 'notify' | 'timeout' | 'dialog' };

export type ReferSubscriptionEvents = {
  /** The REFER got a 2xx (usually 202 Accepted). */
  accepted: SipResponse;
  /** A NOTIFY arrived; `final` once the referred request got a final response. */
  progress: { status: number; reason: string; final: boolean; request: SipRequest };
  /** The subscription ended (emitted once, last). */
  terminated: ReferOutcome;
};

export type ReferSubscriptionState = 'pending' | 'active' | 'terminated';

/** Subscription-State: the state and its expires / reason parameters (RFC 6665 section 8.2.3). */
function subscriptionState(req: SipRequest): { state: string; expires: number | undefined } {
  const raw = req.headers.get('subscription-state') ?? '';
  const semi = raw.indexOf(';');
  const state = (semi < 0 ? raw : raw.slice(0, semi)).trim().toLowerCase();
  let expires: number | undefined;
  try {
    const value = semi < 0 ? undefined : parseParams(raw.slice(semi))['expires'];
    expires = value && /^\d{1,10}$/.test(value) ? Number(value) : undefined;
  } catch {
    expires = undefined;
  }
  return { state, expires };
}

export class ReferSubscription {
  /** The Event id: the CSeq number of the REFER. */
  readonly id: string;
  /** Resolves when the subscription ends, with the referred request's outcome. */
  readonly done: Promise<ReferOutcome>;
  readonly #ctx: DialogContext;
  readonly #emitter: TypedEmitter<ReferSubscriptionEvents>;
  readonly #timers: TimerSet;
  readonly #onEnd: (sub: ReferSubscription) => void;
  #resolve!: (outcome: ReferOutcome) => void;
  #state: ReferSubscriptionState = 'pending';
  #last: StatusLine | undefined;

  constructor(id: string, ctx: DialogContext, onEnd: (sub: ReferSubscription) => void) {
    this.id = id;
    this.#ctx = ctx;
    this.#onEnd = onEnd;
    this.#emitter = new TypedEmitter<ReferSubscriptionEvents>((err, event) => {
      ctx.log.error({ err: errorMessage(err), event }, 'REFER subscription listener threw');
    });
    this.#timers = new TimerSet(ctx.host.clock, ctx.log);
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    this.#arm(64 * ctx.host.timers.T1);
  }

  get state(): ReferSubscriptionState {
    return this.#state;
  }

  /** The last status line notified. */
  get lastStatus(): StatusLine | undefined {
    return this.#last;
  }

  on<K extends keyof ReferSubscriptionEvents>(event: K, listener: Listener<ReferSubscriptionEvents[K]>): () => void {
    return this.#emitter.on(event, listener);
  }

  once<K extends keyof ReferSubscriptionEvents>(event: K, listener: Listener<ReferSubscriptionEvents[K]>): () => void {
    return this.#emitter.once(event, listener);
  }

  /** The final response to the REFER (internal). */
  referAnswered(res: SipResponse): void {
    if (this.#state === 'terminated') return;
    if (res.status >= 200 && res.status < 300) {
      if (this.#state === 'pending') this.#state = 'active';
      this.#emitter.emit('accepted', res);
      return;
    }
    this.end({ ok: false, status: res.status, reason: res.reason, stage: 'refer' });
  }

  /** A NOTIFY for this subscription (internal); returns the status to answer it with. */
  receiveNotify(req: SipRequest): number {
    if (this.#state === 'terminated') return 481;
    if (this.#state === 'pending') this.#state = 'active';
    const frag = parseSipfrag(req.body);
    const sub = subscriptionState(req);
    const terminated = sub.state === 'terminated';
    if (frag) {
      this.#last = frag;
      this.#emitter.emit('progress', { status: frag.status, reason: frag.reason, final: frag.status >= 200 || terminated, request: req });
    }
    if (terminated) {
      const last = this.#last;
      if (last && last.status >= 200 && last.status < 300) this.end({ ok: true, status: last.status, reason: last.reason });
      else this.end({ ok: false, status: last?.status ?? 487, reason: last?.reason ?? 'Subscription terminated', stage: 'notify' });
    } else {
      this.#arm((sub.expires ?? 60) * 1000);
    }
    return 200;
  }

  /** Ends the subscription (idempotent). */
  end(outcome: ReferOutcome): void {
    if (this.#state === 'terminated') return;
    this.#state = 'terminated';
    this.#timers.clear();
    this.#onEnd(this);
    this.#resolve(outcome);
    this.#emitter.emit('terminated', outcome);
    this.#emitter.removeAllListeners();
  }

  #arm(ms: number): void {
    this.#timers.set('expiry', ms, () => {
      this.#ctx.log.debug({ id: this.id }, 'REFER subscription expired');
      this.end({ ok: false, status: 408, reason: 'Subscription expired', stage: 'timeout' });
    });
  }
}
