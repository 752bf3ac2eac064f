/**
 * What the transport layer (RFC 3261 section 18, RFC 7118) exchanges with the layers above it.
 */
import type { TransportName } from '../message/index.ts';
import type { FramingError, TransportError } from './errors.ts';

export type { TransportName };

/** An IP address (IPv6 without brackets) and a port. */
export interface AddressPort {
  address: string;
  port: number;
}

/** Where a message goes, or where it came from. */
export interface Destination {
  transport: TransportName;
  /** IP address (IPv6 without brackets). */
  address: string;
  port: number;
  /**
   * The connection a message arrived on (stream transports). Responses and in-dialog requests prefer it;
   * when it is gone the transport opens a new connection to address:port (WS/WSS cannot, RFC 7118).
   */
  connectionId?: string;
  /**
   * TLS/WSS client connections: the name sent as SNI and checked against the server certificate
   * (RFC 5922 section 7: the domain of the URI that was resolved). Ignored for IP literals.
   */
  serverName?: string;
  /**
   * UDP: the listener (bound address and port) to send from. Set on inbound sources so that responses
   * leave from the address and port the request arrived on (RFC 3581 section 4).
   */
  local?: AddressPort;
}

/** One complete SIP message as bytes, with where it came from and which local listener took it. */
export interface InboundMessage {
  data: Buffer;
  source: Destination;
  local: AddressPort;
}

/** A stream connection (TCP, TLS, WS, WSS) as reported in events and listings. */
export interface ConnectionInfo {
  id: string;
  transport: TransportName;
  remote: AddressPort;
  local: AddressPort;
  /** 'inbound': the peer connected to a listener; 'outbound': opened here. */
  direction: 'inbound' | 'outbound';
}

/** Why a connection closed. */
export type CloseReason = 'local' | 'remote' | 'idle' | 'error' | 'framing' | 'shutdown';

/** Events of the transport manager. Listener exceptions are logged, never thrown into the socket code. */
export type TransportEvents = {
  message: InboundMessage;
  connectionOpen: ConnectionInfo;
  connectionClose: ConnectionInfo & { reason: CloseReason; error?: Error };
  /**
   * A stream that could not be framed. The connection stays writable for a short linger so that the stack
   * can answer a request (400 for a missing or bad Content-Length, 513 when too large) on `source`; the
   * connection then closes.
   */
  framingError: { error: FramingError; source: Destination; local: AddressPort };
  /** Something went wrong that did not stop the transport: a failed send, a listener error, a bad peer. */
  error: { error: TransportError | Error; transport?: TransportName; connectionId?: string };
};

/** The address to put in Via sent-by and Contact for a transport (RFC 3261 section 18.1.1, 8.1.1.8). */
export interface LocalAddress {
  transport: TransportName;
  /** Advertised name or IP address, IPv6 without brackets. */
  address: string;
  /** `address` ready for a Via or URI host (IPv6 bracketed). */
  host: string;
  port: number;
}
