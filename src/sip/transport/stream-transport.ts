/**
 * The TCP and TLS listeners (RFC 3261 section 18, 18.2.1 and 26.3.1): every accepted connection (for
 * TLS, after its handshake) becomes a StreamConnection in the shared table, unless the table is full.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { TransportError } from './errors.ts';
import type { ListenerContext } from './listener-context.ts';
import { closeServer, listenServer, type ListenConfig } from './server-listen.ts';
import { StreamConnection } from './stream-connection.ts';
import type { LoadedTlsMaterial } from './tls-material.ts';
import type { AddressPort } from './types.ts';

export interface StreamListenConfig extends ListenConfig {
  transport: 'tcp' | 'tls';
  /** Required for TLS. */
  tls?: LoadedTlsMaterial & { requestCert?: boolean; rejectUnauthorized?: boolean };
}

export class StreamTransport {
  readonly transport: 'tcp' | 'tls';
  readonly local: AddressPort;
  readonly #server: Server;
  readonly #sockets: Set<Socket>;
  #closing: Promise<void> | undefined;

  private constructor(transport: 'tcp' | 'tls', server: Server, sockets: Set<Socket>, local: AddressPort) {
    this.transport = transport;
    this.#server = server;
    this.#sockets = sockets;
    this.local = local;
  }

  static async listen(config: StreamListenConfig, ctx: ListenerContext): Promise<StreamTransport> {
    const { transport } = config;
    const accept = (socket: Socket) => {
      if (!ctx.table.hasRoom()) {
        socket.destroy();
        ctx.error(new TransportError('SIP_TRANSPORT_LIMIT', `${transport} connection from ${socket.remoteAddress} refused: ${ctx.table.maxConnections} connections open`), transport);
        return;
      }
      const conn = new StreamConnection(socket, transport, 'inbound', ctx.settings, ctx.hooks);
      ctx.table.add(conn);
      ctx.opened(conn);
    };
    let server: Server;
    if (transport === 'tls') {
      if (!config.tls?.cert || !config.tls.key) throw new TransportError('SIP_TRANSPORT_LISTEN', 'a TLS listener needs cert and key');
      const { requestCert = false, rejectUnauthorized = requestCert, ...material } = config.tls;
      try {
        server = createTlsServer({ ...material, requestCert, rejectUnauthorized, handshakeTimeout: ctx.handshakeTimeoutMs }, (socket: TLSSocket) => accept(socket));
      } catch (err) {
        throw new TransportError('SIP_TRANSPORT_LISTEN', `bad TLS certificate or key: ${(err as Error).message}`, { cause: err });
      }
      server.on('tlsClientError', (err: Error, socket: TLSSocket) => {
        socket.destroy();
        ctx.error(new TransportError('SIP_TRANSPORT_CONNECT', `TLS handshake failed: ${err.message}`, { cause: err }), transport);
      });
    } else {
      server = createTcpServer(accept);
    }
    server.maxConnections = ctx.table.maxConnections;
    server.on('drop', () => ctx.error(new TransportError('SIP_TRANSPORT_LIMIT', `${transport} connection dropped at the limit`), transport));
    const sockets = new Set<Socket>();
    const local = await listenServer(server, config, sockets, transport.toUpperCase());
    server.on('error', (err) => ctx.error(err, transport));
    return new StreamTransport(transport, server, sockets, local);
  }

  /** Stops accepting; open connections are closed by their owner (the table's owner). */
  close(): Promise<void> {
    this.#closing ??= closeServer(this.#server, this.#sockets);
    return this.#closing;
  }
}
