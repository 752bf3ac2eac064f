/**
 * What the dialog layer (RFC 3261 sections 12-15) needs from the SIP stack that hosts it: the clock and
 * timers of the stack, a way to start client transactions and to send the ACK for a 2xx outside any
 * transaction (section 13.2.2.4), and the Contact to advertise (section 8.1.1.8, 12.1.1). The stack
 * implements this interface; the dialog layer never imports the stack.
 */
import type { Clock, Logger } from '../../lib/index.ts';
import type { SipRequest, SipUri } from '../message/index.ts';
import type { ClientTransaction, ClientTransactionUser, TransactionTimers } from '../transaction/index.ts';
import type { Destination } from '../transport/index.ts';

export interface DialogHost {
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  readonly log: Logger;
  /**
   * New client transaction. The host adds Max-Forwards (70) and the top Via (sent-by for the chosen
   * transport, fresh branch) when absent, picks the destination (opts.destination, else the first Route
   * if it has ;lr, else the Request-URI, resolved per RFC 3263), and reports transport failures through
   * `user` (synthetic 503).
   */
  sendRequest(req: SipRequest, user: ClientTransactionUser, opts?: { destination?: Destination }): ClientTransaction;
  /**
   * Sends an ACK for a 2xx outside any transaction, routed like a request (the host adds a fresh Via
   * when the ACK has none: an ACK sent again for a retransmitted 2xx keeps its Via).
   */
  sendAck(ack: SipRequest, opts?: { destination?: Destination }): void;
  /**
   * The Contact URI to put in requests/responses that create dialogs with a peer reached over `via` (the
   * transport in use). For an outgoing INVITE without an explicit destination, `via` is a hint built
   * from the Request-URI (transport from its ;transport parameter or sips scheme, address may be a host
   * name).
   */
  contactFor(via: Destination): SipUri;
  /**
   * Optional: where a client transaction sends its request. When present, a CANCEL goes to the same
   * destination as its INVITE (section 9.1); without it the CANCEL is routed like its INVITE.
   */
  destinationOf?(tx: ClientTransaction): Destination | undefined;
}
