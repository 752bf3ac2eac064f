/**
 * Non-INVITE client transaction: RFC 3261 section 17.1.2 (17.1.2.2, Figure 6).
 *
 *   Trying     -- Timer E (unreliable only): retransmit, E = min(2E, T2)
 *   Proceeding -- Timer E: retransmit, E = T2
 *   Trying, Proceeding -- 1xx: to TU -> Proceeding
 *                      -- 200-699: to TU -> Completed (Timer K: T4 unreliable, 0 reliable)
 *                      -- Timer F: timeout to TU -> Terminated
 *   Completed  -- response retransmissions absorbed; Timer K -> Terminated
 *   transport error -- to TU -> Terminated (17.1.4)
 *
 * In Completed the request is let go: Timer K only absorbs response retransmissions.
 *
 * A provisional does not re-arm a pending Timer E: the interval already running completes, and every
 * retransmission after it is T2 apart, as the section 17.1.2.2 text says.
 */
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { Destination } from '../transport/index.ts';
import { ClientTransactionBase, type ClientTransactionUser } from './client-transaction.ts';
import type { TransactionContext } from './transaction-base.ts';

export type NonInviteClientState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

export class NonInviteClientTransaction extends ClientTransactionBase<Exclude<NonInviteClientState, 'Terminated'>> {
  readonly kind = 'non-invite-client' as const;

  constructor(id: string, ctx: TransactionContext, request: SipRequest, user: ClientTransactionUser, destination?: Destination) {
    super(id, ctx, 'Trying', request, user, destination);
  }

  start(): void {
    const request = this.request;
    if (this.state !== 'Trying' || !request) return;
    if (!this.transmit(request)) return;
    if (!this.ctx.reliable) this.#armE(this.ctx.timers.E);
    this.startTimer('F', this.ctx.timers.F, () => {
      if (this.state === 'Trying' || this.state === 'Proceeding') this.timedOut('F');
    });
  }

  receiveResponse(res: SipResponse): void {
    const state = this.state;
    if (state !== 'Trying' && state !== 'Proceeding') return;
    if (res.status < 200) {
      this.setState('Proceeding');
      this.passUp(res);
      return;
    }
    this.stopTimer('E');
    this.stopTimer('F');
    this.setState('Completed');
    this.releaseRequest();
    this.passUp(res);
    this.startTimer('K', this.ctx.timers.K(this.ctx.reliable));
  }

  #armE(interval: number): void {
    this.startTimer('E', interval, () => {
      const state = this.state;
      const request = this.request;
      if ((state !== 'Trying' && state !== 'Proceeding') || !request) return;
      if (!this.transmit(request)) return;
      const { T2 } = this.ctx.timers;
      this.#armE(this.state === 'Proceeding' ? T2 : Math.min(2 * interval, T2));
    });
  }
}
