/**
 * A request received in a dialog and handed to the application with a way to answer it (RFC 3261
 * section 12.2.2): INFO (RFC 6086), MESSAGE (RFC 3428), OPTIONS (section 11), NOTIFY (RFC 6665) and,
 * through subclasses, re-INVITE/UPDATE offers and REFER.
 *
 * Replying rules, the same for every event object:
 * - a listener may call reply()/accept()/reject() while the event is emitted;
 * - or call defer() and answer later; a deferred request still unanswered after `deferTimeout` is
 *   answered 500 (Server Internal Error) so the peer's transaction does not time out;
 * - when no listener answered nor deferred, the layer applies the method's default (200 OK for INFO,
 *   MESSAGE, NOTIFY and OPTIONS; see the subclasses for the others);
 * - when the dialog ends first, a pending request is answered 487 (Request Terminated), section 15.1.2.
 */
import { errorMessage, type TimerHandle } from '../../lib/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { ServerTransaction } from '../transaction/index.ts';
import type { DialogContext } from './dialog-context.ts';
import { DialogError } from './errors.ts';
import { buildResponse, type BuildResponseOptions, type ResponseInit } from './response-builder.ts';
import { bodyOf, type SessionBody } from './session-body.ts';

export type ReplyState = 'pending' | 'deferred' | 'replied';

export abstract class PendingRequest {
  readonly request: SipRequest;
  protected readonly ctx: DialogContext;
  readonly #tx: ServerTransaction;
  #state: ReplyState = 'pending';
  #timer: TimerHandle | undefined;
  #onDone: (() => void) | undefined;

  constructor(request: SipRequest, tx: ServerTransaction, ctx: DialogContext) {
    this.request = request;
    this.#tx = tx;
    this.ctx = ctx;
  }

  get method(): string {
    return this.request.method;
  }

  /** The request's body, if any. */
  get body(): SessionBody | undefined {
    return bodyOf(this.request);
  }

  get state(): ReplyState {
    return this.#state;
  }

  get replied(): boolean {
    return this.#state === 'replied';
  }

  /** Keeps the request open for an answer given later (see the timeout in the file comment). */
  defer(): void {
    if (this.#state !== 'pending') return;
    this.#state = 'deferred';
    this.#timer = this.ctx.host.clock.setTimeout(() => {
      if (this.#state !== 'deferred') return;
      this.ctx.log.warn({ method: this.method }, 'deferred request not answered in time: 500');
      try {
        this.respond(500, { reason: 'Server Internal Error' });
      } catch (err) {
        this.ctx.log.error({ err: errorMessage(err), method: this.method }, 'deferred request could not be answered');
      }
    }, this.ctx.config.deferTimeout);
  }

  /** Called once when the final response has been sent (internal). */
  onDone(fn: () => void): void {
    this.#onDone = fn;
  }

  /**
   * Sends a final (or, for INVITE, provisional) response. Throws SIP_DIALOG_STATE once a final response
   * went out, SIP_DIALOG_INVALID for a status outside 100-699.
   */
  protected respond(status: number, init?: ResponseInit, opts?: BuildResponseOptions): SipResponse {
    if (this.#state === 'replied') throw new DialogError('SIP_DIALOG_STATE', `${this.method} already answered`);
    if (!Number.isInteger(status) || status < 100 || status > 699) throw new DialogError('SIP_DIALOG_INVALID', `bad status ${status}`);
    const res = buildResponse(this.ctx, this.request, status, init, opts);
    this.prepare(res);
    if (status >= 200) this.#finish();
    if (!this.transmit(res)) this.ctx.log.debug({ method: this.method, status }, 'response not accepted by the transaction');
    if (status >= 200) {
      this.sent(res);
      this.#onDone?.();
    }
    return res;
  }

  /** Adds what a subclass needs to a response before it is sent. */
  protected prepare(_res: SipResponse): void {}

  /** Passes a response to the server transaction. */
  protected transmit(res: SipResponse): boolean {
    return this.#tx.respond(res);
  }

  /** Runs after a final response went out. */
  protected sent(_res: SipResponse): void {}

  /** Answers with `status` if nothing was sent yet (the dialog ended, or a default applies). */
  settle(status: number, init?: ResponseInit, opts?: BuildResponseOptions): void {
    if (this.#state === 'replied') return;
    this.respond(status, init, opts);
  }

  #finish(): void {
    this.#state = 'replied';
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}

/** INFO, MESSAGE, OPTIONS or NOTIFY received in a dialog. */
export class IncomingDialogRequest extends PendingRequest {
  constructor(request: SipRequest, tx: ServerTransaction, ctx: DialogContext) {
    super(request, tx, ctx);
  }

  /** Sends the final response (200 by default). */
  reply(status = 200, init?: ResponseInit): SipResponse {
    return this.respond(status, init, { capabilities: this.method === 'OPTIONS' && status < 300 });
  }
}
