/**
 * RFC 3261 section 17 transaction layer with the RFC 6026 corrections: the public surface for the dialog
 * layer, UA core and stack.
 */
export { timersFor, type TransactionTimers } from './timers.ts';
export {
  SipTransactionTimeoutError,
  SipTransactionTransportError,
  SipTransactionInvalidError,
  SipTransactionClosedError,
  type TimeoutTimer,
} from './errors.ts';
export type { ClientTransaction, ClientTransactionKind, ClientTransactionUser } from './client-transaction.ts';
export type { ServerTransaction, ServerTransactionEvents, ServerTransactionKind } from './server-transaction.ts';
export type { TransactionSend, TransactionContext } from './transaction-base.ts';
export { WaitQueues, WaitQueue, WaitEntry } from './wait-queue.ts';
export { InviteClientTransaction, type InviteClientState } from './invite-client.ts';
export { NonInviteClientTransaction, type NonInviteClientState } from './non-invite-client.ts';
export { InviteServerTransaction, type InviteServerState } from './invite-server.ts';
export { NonInviteServerTransaction, type NonInviteServerState } from './non-invite-server.ts';
export { ackForNonSuccess, cancelFor } from './ack.ts';
export { clientKey, serverKey, responseKey, isRfc3261Branch } from './matching.ts';
export {
  TransactionLayer,
  type TransactionLayerOptions,
  type TransactionUser,
  type RequestDisposition,
  type ResponseDisposition,
} from './transaction-layer.ts';
