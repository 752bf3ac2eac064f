/** The SIP transport layer (RFC 3261 section 18, RFC 7118, RFC 5626 keep-alives, RFC 3581). */
export type * from './types.ts';
export { TransportError, FramingError, type TransportErrorCode, type FramingErrorCode } from './errors.ts';
export { StreamFramer, DEFAULT_FRAMER_LIMITS, type FramerLimits, type FramerSink } from './stream-framer.ts';
export { TransportManager, DEFAULT_UDP_RECEIVE_BUFFER_BYTES, type ListenerConfig, type TransportManagerOptions } from './transport-manager.ts';
export type { PemSource, TlsMaterial } from './tls-material.ts';
export { UDP_MAX_DATAGRAM, mtuExceeded } from './udp-transport.ts';
export { responseDestination, viaReceiptParams, withReceiptParams, defaultPort } from './response-destination.ts';
export { FloodLimiter, type FloodLimiterOptions, type FloodVerdict } from './flood-limiter.ts';
export { hostForUri, stripBrackets, sameAddress, ipFamily } from './ip-address.ts';
