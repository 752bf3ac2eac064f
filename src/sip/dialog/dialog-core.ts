/**
 * The inside of a dialog (RFC 3261 section 12): its state, phase, session descriptions, timers and ACKs,
 * the requests it sends (section 12.2.1.1, with credentials on challenge, over the kept flow), the
 * requests that wait for the application, and ending (pending requests answered 487, section 15.1.2;
 * BYE when asked). Dialog is the public face over it; the helpers use it as a DialogPort.
 */
import { TypedEmitter, errorMessage, type Logger } from '../../lib/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { ServerTransaction } from '../transaction/index.ts';
import type { Destination } from '../transport/index.ts';
import { AckExchange } from './ack-exchange.ts';
import type { AuthSession } from './auth-session.ts';
import { sendClientRequest, type ClientRequestResult } from './client-request.ts';
import type { DialogContext } from './dialog-context.ts';
import type { DialogEndReason, DialogEvents, DialogTerminated } from './dialog-events.ts';
import type { AckHandlers, DialogPhase, DialogPort, EndOptions, SendHooks } from './dialog-port.ts';
import type { DialogState } from './dialog-state.ts';
import type { PendingRequest } from './incoming-request.ts';
import { applyInit, type MessageInit, type SessionBody } from './session-body.ts';
import { SessionTimer, type SessionTimerHandlers } from './session-timer.ts';

export interface DialogCoreInit {
  state: DialogState;
  role: 'uac' | 'uas';
  phase: 'early' | 'confirmed';
  flow?: Destination;
  auth?: AuthSession;
  peerAllow?: readonly string[];
}

export class DialogCore implements DialogPort {
  readonly ctx: DialogContext;
  readonly state: DialogState;
  readonly role: 'uac' | 'uas';
  readonly log: Logger;
  readonly sessionTimer: SessionTimer;
  readonly emitter: TypedEmitter<DialogEvents>;
  readonly acks: AckExchange;
  readonly #flow: Destination | undefined;
  readonly #auth: AuthSession | undefined;
  /** Requests waiting for the application; created with the first one. */
  #pending: Set<PendingRequest> | undefined;
  readonly #cleanup: (() => void)[] = [];
  phase: DialogPhase;
  peerAllow: readonly string[] | undefined;
  localSession: SessionBody | undefined;
  remoteSession: SessionBody | undefined;
  ended: DialogTerminated | undefined;

  constructor(ctx: DialogContext, init: DialogCoreInit, timer: Omit<SessionTimerHandlers, 'expire'>) {
    this.ctx = ctx;
    this.state = init.state;
    this.role = init.role;
    this.phase = init.phase;
    this.#flow = init.flow;
    this.#auth = init.auth;
    this.peerAllow = init.peerAllow;
    this.log = ctx.log.child({ callId: init.state.id.callId, localTag: init.state.id.localTag });
    this.emitter = new TypedEmitter<DialogEvents>((err, event) => {
      this.log.error({ err: errorMessage(err), event }, 'dialog listener threw');
    });
    this.acks = new AckExchange(ctx, init.state, this.log, (ack) => this.#transmitAck(ack));
    this.sessionTimer = new SessionTimer(ctx.host.clock, this.log, {
      refresh: timer.refresh,
      expire: () => this.end('session-timer', { remote: false, bye: true }),
    });
  }

  get alive(): boolean {
    return this.phase !== 'terminated';
  }

  /** Runs `fn` when the dialog ends, before 'terminated' is emitted. */
  onEnd(fn: () => void): void {
    this.#cleanup.push(fn);
  }

  send(method: string, init: MessageInit | undefined, hooks?: SendHooks): Promise<ClientRequestResult> {
    const req = this.state.buildRequest(method);
    if (this.ctx.config.userAgent !== undefined) req.headers.set('User-Agent', this.ctx.config.userAgent);
    applyInit(req, init);
    return sendClientRequest(this.ctx, req, {
      ...(this.#flow ? { destination: this.#flow } : {}),
      ...(this.#auth ? { auth: this.#auth } : {}),
      nextSeq: () => this.state.nextLocalSeq(),
      ...(hooks?.onExtraSuccess ? { onExtraSuccess: hooks.onExtraSuccess } : {}),
      ...(hooks?.onSent ? { onSending: hooks.onSent } : {}),
    });
  }

  sendAck(invite: SipRequest, init?: MessageInit): void {
    this.acks.send(invite, init);
  }

  resendAck(seq: number): void {
    this.acks.resend(seq);
  }

  sendSuccess(tx: ServerTransaction, res: SipResponse, handlers: AckHandlers): boolean {
    return this.acks.sendSuccess(tx, res, handlers, () => this.end('no-ack', { remote: false, bye: true }));
  }

  emit<K extends keyof DialogEvents>(event: K, payload: DialogEvents[K]): void {
    if (this.phase !== 'terminated') this.emitter.emit(event, payload);
  }

  trackPending(req: PendingRequest): void {
    if (req.replied) return;
    const pending = (this.#pending ??= new Set());
    pending.add(req);
    req.onDone(() => pending.delete(req));
  }

  /** Sends a BYE (section 15.1.1) and resolves with its final response. */
  sendBye(init?: MessageInit): Promise<SipResponse> {
    return this.send('BYE', init).then((r) => r.response);
  }

  end(reason: DialogEndReason, opts: EndOptions): void {
    if (this.phase === 'terminated') return;
    if (opts.bye && this.phase === 'confirmed') void this.sendBye();
    this.phase = 'terminated';
    const info: DialogTerminated = { reason, remote: opts.remote };
    if (opts.request) info.request = opts.request;
    if (opts.response) info.response = opts.response;
    this.ended = info;
    this.sessionTimer.stop();
    for (const fn of this.#cleanup.splice(0)) this.#safely(fn, 'dialog cleanup threw');
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending) for (const req of [...pending]) this.#safely(() => req.settle(487), 'pending request could not be answered');
    if (this.log.isLevelEnabled('debug')) this.log.debug({ reason, remote: opts.remote }, 'dialog terminated');
    this.emitter.emit('terminated', info);
    this.emitter.removeAllListeners();
    this.acks.stop();
  }

  #transmitAck(ack: SipRequest): void {
    try {
      this.ctx.host.sendAck(ack, this.#flow ? { destination: this.#flow } : undefined);
    } catch (err) {
      this.log.debug({ err: errorMessage(err) }, 'ACK could not be sent');
    }
  }

  #safely(fn: () => void, what: string): void {
    try {
      fn();
    } catch (err) {
      this.log.debug({ err: errorMessage(err) }, what);
    }
  }
}
