/**
 * The SIP stack (RFC 3261 and friends). Outside src/sip/, import only from here.
 */
export * from './sip-stack.ts';
export * from './message/index.ts';
export type { Destination, ListenerConfig, LocalAddress, TransportName } from './transport/index.ts';
export * from './dialog/index.ts';
export * from './auth/index.ts';
export * from './registrar/index.ts';
export { timersFor, type TransactionTimers } from './transaction/index.ts';
