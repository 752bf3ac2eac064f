/**
 * Non-INVITE server transaction: RFC 3261 section 17.2.2 (Figure 8).
 *
 *   Trying     -- request retransmissions discarded; 1xx from TU: sent -> Proceeding
 *   Proceeding -- request retransmission: last provisional resent; 1xx from TU: sent
 *   Trying, Proceeding -- 200-699 from TU: sent -> Completed (Timer J: 64*T1 unreliable, 0 reliable)
 *   Completed  -- request retransmission: final resent; further responses from the TU discarded;
 *                 Timer J -> Terminated
 *   transport error -- TU informed -> Terminated
 *
 * In Completed only the final response's wire form is kept (RFC 3261 17.2.2 needs nothing else to
 * answer retransmissions); the request and response objects are let go.
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Destination } from '../transport/index.ts';
import type { SipTransactionTransportError } from './errors.ts';
import { ServerTransactionBase } from './server-transaction.ts';
import type { TransactionContext } from './transaction-base.ts';

export type NonInviteServerState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

export class NonInviteServerTransaction extends ServerTransactionBase<Exclude<NonInviteServerState, 'Terminated'>> {
  readonly kind = 'non-invite-server' as const;

  constructor(id: string, ctx: TransactionContext, request: SipRequest, destination?: Destination) {
    super(id, ctx, 'Trying', request, destination);
  }

  /** Nothing to arm: the machine waits for the TU (present for symmetry with the other machines). */
  start(): void {}

  respond(res: SipResponse): boolean {
    const state = this.state;
    if (state !== 'Trying' && state !== 'Proceeding') return false;
    if (res.status < 200) {
      this.setState('Proceeding');
      this.sendProvisional(res);
      return true;
    }
    this.setState('Completed');
    const J = this.ctx.timers.J(this.ctx.reliable);
    // Over a reliable transport J is 0: nothing is retransmitted, so the wire form is not kept.
    if (this.sendFinal(res, J > 0 ? 'wire' : 'none')) this.startTimer('J', J);
    return true;
  }

  receiveRequest(_req: SipRequest): boolean {
    const state = this.state;
    if (state === 'Proceeding' || state === 'Completed') this.resendLast();
    return false;
  }

  protected override onTransportError(err: SipTransactionTransportError): void {
    this.reportTransportError(err);
    this.terminate();
  }
}
