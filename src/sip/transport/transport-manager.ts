/**
 * The transport layer of one SIP stack (RFC 3261 section 18; RFC 7118 for WS/WSS): starts the configured
 * listeners, delivers every complete inbound message upwards, and sends messages to a Destination over
 * UDP, over the connection a request came on, over an open connection to the same peer, or over a new
 * client connection (never towards a WebSocket client, which cannot be connected to).
 */
import { networkInterfaces } from 'node:os';
import { silentLogger, systemClock, TypedEmitter, type Clock, type Logger } from '../../lib/index.ts';
import type { Connection, ConnectionHooks, ConnectionSettings } from './connection.ts';
import { ConnectionTable, peerKey } from './connection-table.ts';
import { openConnection, type ConnectorOptions } from './connector.ts';
import { TransportError, type FramingError } from './errors.ts';
import { hostForUri, ipFamily, isWildcard, sameAddress, stripBrackets } from './ip-address.ts';
import type { ListenerContext } from './listener-context.ts';
import { DEFAULT_FRAMER_LIMITS, type FramerLimits } from './stream-framer.ts';
import { StreamTransport } from './stream-transport.ts';
import { loadTlsMaterial, type TlsMaterial } from './tls-material.ts';
import type { AddressPort, CloseReason, ConnectionInfo, Destination, InboundMessage, LocalAddress, TransportEvents, TransportName } from './types.ts';
import { UdpTransport } from './udp-transport.ts';
import { WsTransport } from './ws-transport.ts';

export interface ListenerConfig extends TlsMaterial {
  transport: TransportName;
  /** IP address to bind ("0.0.0.0" and "::" for all). */
  address: string;
  /** 0 binds an ephemeral port (see listeners()). */
  port: number;
  /** For "::": refuse IPv4 peers (default false: dual-stack). */
  ipv6Only?: boolean;
  /** Host (name or IP) and port to put in Via and Contact instead of the bound ones (NAT, wildcard bind). */
  advertise?: { host: string; port?: number };
  /** TLS/WSS listeners: ask clients for a certificate; unauthorized ones are refused unless false. */
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
}

export interface TransportManagerOptions {
  listeners: ListenerConfig[];
  clock?: Clock;
  logger?: Logger;
  /** Client connect (and TLS handshake / WebSocket upgrade) limit; default 10 s. */
  connectTimeoutMs?: number;
  /** Close stream connections without traffic for this long; default 10 min; 0 never. */
  idleTimeoutMs?: number;
  /** Open stream connections, inbound and outbound together; default 10000. */
  maxConnections?: number;
  framing?: Partial<FramerLimits>;
  /** Unread bytes queued for one peer before it is disconnected; default 1 MiB. */
  maxWriteBufferBytes?: number;
  /** After a framing error, how long an error response may still be written; default 2 s. */
  lingerMs?: number;
  /** TCP keep-alive probe delay on TCP/TLS sockets; default 60 s; 0 disables. */
  tcpKeepAliveMs?: number;
  /** TLS and WSS client connections; rejectUnauthorized defaults to true. */
  tlsClient?: TlsMaterial & { rejectUnauthorized?: boolean };
  /** Request path of WS/WSS client connections; default "/". */
  wsClientPath?: string;
  /**
   * Receive buffer asked for on UDP sockets, bytes (see UdpConfig.receiveBufferBytes); default 4 MiB,
   * about a third of a second of traffic at a few thousand calls per second; 0 keeps the OS default.
   */
  udpReceiveBufferBytes?: number;
}

export const DEFAULT_UDP_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

type Listener = UdpTransport | StreamTransport | WsTransport;

interface ListenerEntry {
  transport: TransportName;
  listener: Listener;
  /** Whether this listener can send to an address (same IP family, or IPv4 through a dual-stack "::"). */
  reach: (address: string) => boolean;
  advertised: LocalAddress;
}

function interfaceAddress(family: 4 | 6): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const nic of list ?? []) {
      if (!nic.internal && nic.family === (family === 4 ? 'IPv4' : 'IPv6') && !nic.address.startsWith('fe80')) return nic.address;
    }
  }
  return family === 4 ? '127.0.0.1' : '::1';
}

function advertisedAddress(config: ListenerConfig, bound: AddressPort): LocalAddress {
  const family = ipFamily(config.address) === 6 ? 6 : 4;
  const address = config.advertise ? stripBrackets(config.advertise.host) : isWildcard(bound.address) ? interfaceAddress(family) : bound.address;
  return { transport: config.transport, address, host: hostForUri(address), port: config.advertise?.port ?? bound.port };
}

export class TransportManager {
  readonly #events: TypedEmitter<TransportEvents>;
  readonly #log: Logger;
  readonly #table: ConnectionTable;
  readonly #connector: ConnectorOptions;
  readonly #entries: ListenerEntry[] = [];
  readonly #pending = new Map<string, Promise<Connection>>();
  readonly #abort = new AbortController();
  #closing: Promise<void> | undefined;
  readonly #udpReceiveBufferBytes: number;

  private constructor(connector: ConnectorOptions, table: ConnectionTable, log: Logger, udpReceiveBufferBytes: number) {
    this.#log = log;
    this.#table = table;
    this.#connector = connector;
    this.#udpReceiveBufferBytes = udpReceiveBufferBytes;
    this.#events = new TypedEmitter<TransportEvents>((err, event) => log.error({ err, event }, 'transport event listener failed'));
  }

  /** Starts every listener; if one fails, the others are closed and the error (SIP_TRANSPORT_LISTEN) thrown. */
  static async start(options: TransportManagerOptions): Promise<TransportManager> {
    const log = (options.logger ?? silentLogger()).child({ component: 'sip-transport' });
    const clock = options.clock ?? systemClock;
    const settings: ConnectionSettings = {
      clock,
      idleTimeoutMs: options.idleTimeoutMs ?? 600_000,
      lingerMs: options.lingerMs ?? 2_000,
      maxWriteBufferBytes: options.maxWriteBufferBytes ?? 1024 * 1024,
      framer: { ...DEFAULT_FRAMER_LIMITS, ...options.framing },
      tcpKeepAliveMs: options.tcpKeepAliveMs ?? 60_000,
    };
    const table = new ConnectionTable(options.maxConnections ?? 10_000);
    const { rejectUnauthorized = true, ...clientMaterial } = options.tlsClient ?? {};
    const hooks: ConnectionHooks = {
      message: (conn, data) => manager.#deliver(conn, data),
      framingError: (conn, error) => manager.#framingError(conn, error),
      closed: (conn, reason, error) => manager.#closed(conn, reason, error),
    };
    const connector: ConnectorOptions = {
      settings,
      hooks,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      tlsClient: { ...(await loadTlsMaterial(clientMaterial)), rejectUnauthorized },
      wsPath: options.wsClientPath ?? '/',
    };
    const manager = new TransportManager(connector, table, log, options.udpReceiveBufferBytes ?? DEFAULT_UDP_RECEIVE_BUFFER_BYTES);
    try {
      for (const config of options.listeners) await manager.#listen(config);
    } catch (err) {
      await manager.close();
      throw err;
    }
    return manager;
  }

  async #listen(config: ListenerConfig): Promise<void> {
    const { transport } = config;
    const ctx: ListenerContext = {
      settings: this.#connector.settings,
      hooks: this.#connector.hooks,
      table: this.#table,
      handshakeTimeoutMs: this.#connector.connectTimeoutMs,
      opened: (conn) => this.#opened(conn),
      error: (error, t) => this.#report(error, t),
    };
    const base = { address: config.address, port: config.port, ...(config.ipv6Only !== undefined ? { ipv6Only: config.ipv6Only } : {}) };
    let listener: Listener;
    if (transport === 'udp') {
      listener = await UdpTransport.bind(
        { ...base, receiveBufferBytes: this.#udpReceiveBufferBytes },
        { message: (m) => this.#emitMessage(m), error: (err) => this.#report(err, 'udp') },
      );
    } else {
      const tls =
        transport === 'tls' || transport === 'wss'
          ? { ...(await loadTlsMaterial(config)), requestCert: config.requestCert ?? false, rejectUnauthorized: config.rejectUnauthorized ?? config.requestCert ?? false }
          : undefined;
      listener =
        transport === 'tcp' || transport === 'tls'
          ? await StreamTransport.listen({ ...base, transport, ...(tls ? { tls } : {}) }, ctx)
          : await WsTransport.listen({ ...base, transport, ...(tls ? { tls } : {}) }, ctx);
    }
    const family = ipFamily(config.address);
    const dual = family === 6 && isWildcard(config.address) && !config.ipv6Only;
    this.#entries.push({
      transport,
      listener,
      reach: (address) => ipFamily(address) === family || (dual && ipFamily(address) === 4),
      advertised: advertisedAddress(config, listener.local),
    });
    this.#log.info({ transport, address: listener.local.address, port: listener.local.port }, 'listening');
  }

  /** Subscribes to one of the transport events; returns the unsubscribe function. */
  on<K extends keyof TransportEvents>(event: K, listener: (payload: TransportEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /** Every complete inbound message; returns the unsubscribe function. */
  onMessage(cb: (message: InboundMessage) => void): () => void {
    return this.#events.on('message', cb);
  }

  /**
   * Sends one message. UDP: from the listener `dest.local` names, else one that can reach the address.
   * Stream transports: over `dest.connectionId` if still open, else an open connection to the same
   * transport/address/port, else a new client connection (not for a WS/WSS flow that is gone:
   * SIP_TRANSPORT_NO_ROUTE). Rejects with a TransportError; never throws synchronously.
   */
  send(data: Buffer, dest: Destination): Promise<void> {
    // Not an async function: a UDP send hands back the socket's own promise without wrapping it.
    try {
      if (this.#closing) throw new TransportError('SIP_TRANSPORT_CLOSED', 'transport manager is closed');
      if (dest.transport === 'udp') {
        const udp = this.#udpFor(dest);
        if (!udp) throw new TransportError('SIP_TRANSPORT_NO_ROUTE', `no UDP listener can reach ${dest.address}`);
        return udp.send(data, dest.address, dest.port);
      }
      return this.#connectionFor(dest).then((conn) => conn.send(data));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  #udpFor(dest: Destination): UdpTransport | undefined {
    let fallback: UdpTransport | undefined;
    for (const entry of this.#entries) {
      if (!(entry.listener instanceof UdpTransport) || !entry.reach(dest.address)) continue;
      const local = entry.listener.local;
      if (!dest.local || (local.port === dest.local.port && sameAddress(local.address, dest.local.address))) return entry.listener;
      fallback ??= entry.listener;
    }
    return fallback;
  }

  #connectionFor(dest: Destination): Promise<Connection> {
    const existing = (dest.connectionId !== undefined ? this.#table.get(dest.connectionId) : undefined) ?? this.#table.find(dest.transport, dest.address, dest.port);
    if (existing) return Promise.resolve(existing);
    if ((dest.transport === 'ws' || dest.transport === 'wss') && dest.connectionId !== undefined) {
      return Promise.reject(new TransportError('SIP_TRANSPORT_NO_ROUTE', `WebSocket connection ${dest.connectionId} is gone and a WebSocket client cannot be connected to`));
    }
    const key = peerKey(dest.transport, dest.address, dest.port);
    const pending = this.#pending.get(key);
    if (pending) return pending;
    if (!this.#table.hasRoom()) return Promise.reject(new TransportError('SIP_TRANSPORT_LIMIT', `${this.#table.maxConnections} connections open`));
    const opening = openConnection(dest, this.#connector, this.#abort.signal)
      .then((conn) => {
        if (this.#closing) {
          conn.close('shutdown');
          throw new TransportError('SIP_TRANSPORT_CLOSED', 'transport manager is closed');
        }
        if (!this.#table.add(conn)) {
          conn.close('local');
          throw new TransportError('SIP_TRANSPORT_LIMIT', `${this.#table.maxConnections} connections open`);
        }
        this.#opened(conn);
        return conn;
      })
      .finally(() => this.#pending.delete(key));
    this.#pending.set(key, opening);
    return opening;
  }

  /**
   * The host and port for Via sent-by and Contact on `transport` (the advertised ones when configured).
   * With `remoteAddress`, a listener of the matching IP family is preferred.
   */
  localAddress(transport: TransportName, remoteAddress?: string): LocalAddress | undefined {
    let first: LocalAddress | undefined;
    for (const entry of this.#entries) {
      if (entry.transport !== transport) continue;
      if (remoteAddress === undefined || entry.reach(remoteAddress)) return { ...entry.advertised };
      first ??= entry.advertised;
    }
    return first ? { ...first } : undefined;
  }

  /** The running listeners: bound address and port (the real port when 0 was asked) and what is advertised. */
  listeners(): Array<{ transport: TransportName; bound: AddressPort; advertised: LocalAddress }> {
    return this.#entries.map((e) => ({ transport: e.transport, bound: { ...e.listener.local }, advertised: { ...e.advertised } }));
  }

  connections(): ConnectionInfo[] {
    return this.#table.all().map((c) => c.info());
  }

  connection(id: string): ConnectionInfo | undefined {
    return this.#table.get(id)?.info();
  }

  /** Closes one connection (e.g. a flow the registrar dropped); harmless if already gone. */
  closeConnection(id: string): void {
    this.#table.get(id)?.close('local');
  }

  /** Closes every connection and listener and aborts pending connects; idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#abort.abort();
      for (const conn of this.#table.all()) conn.close('shutdown');
      await Promise.all(this.#entries.map((e) => e.listener.close()));
      await Promise.allSettled([...this.#pending.values()]);
      this.#log.info('transports closed');
    })();
    return this.#closing;
  }

  #emitMessage(message: InboundMessage): void {
    this.#events.emit('message', message);
  }

  #deliver(conn: Connection, data: Buffer): void {
    this.#events.emit('message', {
      data,
      source: { transport: conn.transport, address: conn.remote.address, port: conn.remote.port, connectionId: conn.id },
      local: conn.local,
    });
  }

  #framingError(conn: Connection, error: FramingError): void {
    this.#log.debug({ connectionId: conn.id, code: error.code }, 'framing error');
    this.#events.emit('framingError', {
      error,
      source: { transport: conn.transport, address: conn.remote.address, port: conn.remote.port, connectionId: conn.id },
      local: conn.local,
    });
  }

  #opened(conn: Connection): void {
    this.#log.debug({ connectionId: conn.id, remote: conn.remote }, 'connection open');
    this.#events.emit('connectionOpen', conn.info());
  }

  #closed(conn: Connection, reason: CloseReason, error?: Error): void {
    this.#table.remove(conn);
    this.#log.debug({ connectionId: conn.id, reason, err: error }, 'connection closed');
    this.#events.emit('connectionClose', { ...conn.info(), reason, ...(error ? { error } : {}) });
  }

  #report(error: Error, transport: TransportName): void {
    this.#log.debug({ err: error, transport }, 'transport error');
    this.#events.emit('error', { error, transport });
  }
}
