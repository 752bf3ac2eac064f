/**
 * INVITE server transaction: RFC 3261 section 17.2.1 with the RFC 6026 section 7.1 / 8.5-8.7 correction
 * (Figure 7 of RFC 6026).
 *
 *   Proceeding -- 100 (Trying) sent when the TU has not answered within `timers.trying` (200 ms by
 *                 default; 0 sends it at once); INVITE retransmission: last provisional resent (a 100 is
 *                 sent at once if nothing was sent yet); 1xx from TU: sent
 *              -- 2xx from TU: sent -> Accepted (Timer L)
 *              -- 300-699 from TU: sent -> Completed (Timer G unreliable only, Timer H)
 *              -- transport error: TU informed, state kept (RFC 6026)
 *   Completed  -- INVITE retransmission or Timer G: final resent, G = min(2G, T2)
 *              -- ACK -> Confirmed (Timer I); Timer H: timeout to TU -> Terminated
 *              -- transport error: TU informed -> Terminated
 *   Confirmed  -- ACKs absorbed; Timer I -> Terminated
 *   Accepted   -- INVITE retransmissions absorbed; 2xx from TU sent (the TU retransmits its 2xx, section
 *                 13.3.1.4); a matching ACK is for the TU (the layer passes it to onAck); transport
 *                 error: TU informed; Timer L -> Terminated
 *
 * Once the final response is sent the machine lets go of the INVITE: in Completed it keeps the non-2xx
 * response in wire form for Timer G and retransmitted INVITEs, in Accepted it keeps nothing (the 2xx is
 * the TU's to retransmit), in Confirmed nothing either.
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import { createResponse } from '../message/index.ts';
import type { Destination } from '../transport/index.ts';
import { SipTransactionTimeoutError, type SipTransactionTransportError } from './errors.ts';
import { ServerTransactionBase } from './server-transaction.ts';
import type { TransactionContext } from './transaction-base.ts';

export type InviteServerState = 'Proceeding' | 'Completed' | 'Confirmed' | 'Accepted' | 'Terminated';

export class InviteServerTransaction extends ServerTransactionBase<Exclude<InviteServerState, 'Terminated'>> {
  readonly kind = 'invite-server' as const;

  constructor(id: string, ctx: TransactionContext, request: SipRequest, destination?: Destination) {
    super(id, ctx, 'Proceeding', request, destination);
  }

  /**
   * Arms the 100 (Trying) timer (called by the layer once the TU has seen the request); nothing to do
   * when the TU has already responded.
   */
  start(): void {
    if (this.state !== 'Proceeding' || this.lastResponse) return;
    this.startTimer('Trying', this.ctx.timers.trying, () => this.#sendTrying());
  }

  respond(res: SipResponse): boolean {
    const state = this.state;
    if (state === 'Accepted') {
      if (res.status < 200 || res.status >= 300) return false;
      this.transmit(res);
      return true;
    }
    if (state !== 'Proceeding') return false;
    this.stopTimer('Trying');
    if (res.status < 200) {
      this.sendProvisional(res);
    } else if (res.status < 300) {
      this.setState('Accepted');
      this.startTimer('L', this.ctx.timers.L);
      this.sendFinal(res, 'none');
    } else {
      this.setState('Completed');
      if (!this.sendFinal(res, 'wire')) return true;
      if (!this.ctx.reliable) this.#armG(this.ctx.timers.G);
      this.startTimer('H', this.ctx.timers.H, () => {
        if (this.state !== 'Completed') return;
        this.emit('timeout', new SipTransactionTimeoutError('H', 'no ACK for the final response: Timer H fired'));
        this.terminate();
      });
    }
    return true;
  }

  receiveRequest(req: SipRequest): boolean {
    const state = this.state;
    if (req.method === 'ACK') {
      if (state === 'Completed') {
        this.stopTimer('G');
        this.stopTimer('H');
        this.releaseFinal();
        this.setState('Confirmed');
        this.startTimer('I', this.ctx.timers.I(this.ctx.reliable));
      }
      return state === 'Accepted';
    }
    if (state === 'Proceeding') {
      if (this.lastResponse) this.resendLast();
      else {
        this.stopTimer('Trying');
        this.#sendTrying();
      }
    } else if (state === 'Completed') {
      this.resendLast();
    }
    return false;
  }

  protected override onTransportError(err: SipTransactionTransportError): void {
    const state = this.state;
    this.reportTransportError(err);
    if (state === 'Completed') this.terminate();
  }

  #sendTrying(): void {
    const request = this.request;
    if (this.state !== 'Proceeding' || this.lastResponse || !request) return;
    this.sendProvisional(createResponse(request, 100, 'Trying'));
  }

  #armG(interval: number): void {
    this.startTimer('G', interval, () => {
      if (this.state !== 'Completed' || !this.holdsFinal) return;
      if (this.resendLast()) this.#armG(Math.min(2 * interval, this.ctx.timers.T2));
    });
  }
}
