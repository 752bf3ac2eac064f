/**
 * INVITE client transaction: RFC 3261 section 17.1.1 with the RFC 6026 section 7.2 / 8.4 correction.
 *
 *   Calling    -- Timer A (unreliable only): retransmit, A doubles; Timer B: timeout to TU -> Terminated
 *   Calling, Proceeding -- 1xx: to TU -> Proceeding (A and B stop)
 *                       -- 2xx: to TU -> Accepted (Timer M)
 *                       -- 300-699: to TU, ACK sent (17.1.1.3) -> Completed (Timer D)
 *   Completed  -- 300-699 retransmission: ACK resent, not passed up; Timer D -> Terminated
 *   Accepted   -- 2xx (retransmission or another fork): to TU; Timer M -> Terminated
 *   any sending state -- transport error: to TU -> Terminated (17.1.4)
 *
 * Timer B only ends a transaction still in Calling: once a provisional arrived the INVITE stays in
 * Proceeding until a final response (the TU bounds it with CANCEL, section 9.1). With the final response
 * the machine lets go of the INVITE; in Completed it keeps only the ACK it sends again.
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Destination } from '../transport/index.ts';
import { ackForNonSuccess } from './ack.ts';
import { ClientTransactionBase, type ClientTransactionUser } from './client-transaction.ts';
import type { TransactionContext } from './transaction-base.ts';

export type InviteClientState = 'Calling' | 'Proceeding' | 'Completed' | 'Accepted' | 'Terminated';

export class InviteClientTransaction extends ClientTransactionBase<Exclude<InviteClientState, 'Terminated'>> {
  readonly kind = 'invite-client' as const;
  #ack: SipRequest | undefined;

  constructor(id: string, ctx: TransactionContext, request: SipRequest, user: ClientTransactionUser, destination?: Destination) {
    super(id, ctx, 'Calling', request, user, destination);
  }

  /** The ACK this transaction generated for a non-2xx final response, once there is one. */
  get ack(): SipRequest | undefined {
    return this.#ack;
  }

  start(): void {
    const request = this.request;
    if (this.state !== 'Calling' || !request) return;
    if (!this.transmit(request)) return;
    if (!this.ctx.reliable) this.#armA(this.ctx.timers.A);
    this.startTimer('B', this.ctx.timers.B, () => {
      if (this.state === 'Calling') this.timedOut('B');
    });
  }

  receiveResponse(res: SipResponse): void {
    const state = this.state;
    if (state === 'Terminated') return;
    if (res.status < 200) {
      if (state !== 'Calling' && state !== 'Proceeding') return;
      this.stopTimer('A');
      this.stopTimer('B');
      this.setState('Proceeding');
      this.passUp(res);
    } else if (res.status < 300) {
      if (state === 'Accepted') {
        this.passUp(res);
        return;
      }
      if (state !== 'Calling' && state !== 'Proceeding') return;
      this.stopTimer('A');
      this.stopTimer('B');
      this.setState('Accepted');
      this.releaseRequest();
      this.startTimer('M', this.ctx.timers.M);
      this.passUp(res);
    } else if (state === 'Completed') {
      if (this.#ack) this.transmit(this.#ack);
    } else if (state === 'Calling' || state === 'Proceeding') {
      const request = this.request;
      if (!request) return;
      this.stopTimer('A');
      this.stopTimer('B');
      this.setState('Completed');
      this.#ack = ackForNonSuccess(request, res);
      this.releaseRequest();
      this.passUp(res);
      if (this.terminated || !this.transmit(this.#ack)) return;
      this.startTimer('D', this.ctx.timers.D(this.ctx.reliable));
    }
  }

  #armA(interval: number): void {
    this.startTimer('A', interval, () => {
      const request = this.request;
      if (this.state !== 'Calling' || !request) return;
      if (this.transmit(request)) this.#armA(interval * 2);
    });
  }
}
