/**
 * What a listener (TCP, TLS, WS, WSS) needs from its owner: connection settings and hooks, the shared
 * connection table (RFC 3261 section 18 connection reuse), and where to report.
 */
import type { Connection, ConnectionHooks, ConnectionSettings } from './connection.ts';
import type { ConnectionTable } from './connection-table.ts';
import type { TransportError } from './errors.ts';
import type { TransportName } from './types.ts';

export interface ListenerContext {
  settings: ConnectionSettings;
  hooks: ConnectionHooks;
  table: ConnectionTable;
  /** TLS handshake / WebSocket upgrade time limit, in ms. */
  handshakeTimeoutMs: number;
  /** A new inbound connection, already in the table. */
  opened(conn: Connection): void;
  /** A non-fatal problem: a refused or failed peer, a server error. */
  error(err: TransportError | Error, transport: TransportName): void;
}
