/**
 * The WS and WSS listeners (RFC 7118 sections 4 and 5; RFC 6455 handshake): an HTTP or HTTPS server
 * whose upgrades must offer the `sip` subprotocol (otherwise 400), and whose plain HTTP requests get
 * 426. Each accepted WebSocket becomes a WsConnection in the shared table, unless the table is full (503).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { TransportError } from './errors.ts';
import { unmapIpv4 } from './ip-address.ts';
import type { ListenerContext } from './listener-context.ts';
import { closeServer, listenServer, type ListenConfig } from './server-listen.ts';
import type { LoadedTlsMaterial } from './tls-material.ts';
import type { AddressPort } from './types.ts';
import { WsConnection } from './ws-connection.ts';

export const SIP_SUBPROTOCOL = 'sip';

export interface WsListenConfig extends ListenConfig {
  transport: 'ws' | 'wss';
  /** Required for WSS. */
  tls?: LoadedTlsMaterial & { requestCert?: boolean; rejectUnauthorized?: boolean };
}

/** The subprotocols a client offers (RFC 6455 section 4.1: comma-separated tokens). */
export function offeredSubprotocols(header: string | undefined): string[] {
  return header ? header.split(',').map((p) => p.trim()).filter(Boolean) : [];
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.on('error', () => {});
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.once('finish', () => socket.destroy());
}

export class WsTransport {
  readonly transport: 'ws' | 'wss';
  readonly local: AddressPort;
  readonly #server: HttpServer;
  readonly #wss: WebSocketServer;
  readonly #sockets: Set<Socket>;
  #closing: Promise<void> | undefined;

  private constructor(transport: 'ws' | 'wss', server: HttpServer, wss: WebSocketServer, sockets: Set<Socket>, local: AddressPort) {
    this.transport = transport;
    this.#server = server;
    this.#wss = wss;
    this.#sockets = sockets;
    this.local = local;
  }

  static async listen(config: WsListenConfig, ctx: ListenerContext): Promise<WsTransport> {
    const { transport } = config;
    let server: HttpServer;
    if (transport === 'wss') {
      if (!config.tls?.cert || !config.tls.key) throw new TransportError('SIP_TRANSPORT_LISTEN', 'a WSS listener needs cert and key');
      const { requestCert = false, rejectUnauthorized = requestCert, ...material } = config.tls;
      try {
        server = createHttpsServer({ ...material, requestCert, rejectUnauthorized, handshakeTimeout: ctx.handshakeTimeoutMs });
      } catch (err) {
        throw new TransportError('SIP_TRANSPORT_LISTEN', `bad TLS certificate or key: ${(err as Error).message}`, { cause: err });
      }
      server.on('tlsClientError', (err: Error, socket: Socket) => {
        socket.destroy();
        ctx.error(new TransportError('SIP_TRANSPORT_CONNECT', `TLS handshake failed: ${err.message}`, { cause: err }), transport);
      });
    } else {
      server = createHttpServer();
    }
    server.headersTimeout = ctx.handshakeTimeoutMs;
    server.requestTimeout = ctx.handshakeTimeoutMs;
    server.on('request', (_req, res) => {
      res.writeHead(426, { Upgrade: 'websocket', Connection: 'close', 'Sec-WebSocket-Protocol': SIP_SUBPROTOCOL, 'Content-Length': '0' });
      res.end();
    });
    server.on('clientError', (_err, socket: Duplex) => socket.destroy());
    const wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: ctx.settings.framer.maxMessageBytes,
      handleProtocols: (protocols) => (protocols.has(SIP_SUBPROTOCOL) ? SIP_SUBPROTOCOL : false),
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!offeredSubprotocols(req.headers['sec-websocket-protocol']).includes(SIP_SUBPROTOCOL)) {
        refuse(socket, 400, 'Bad Request');
        ctx.error(new TransportError('SIP_TRANSPORT_CONNECT', `${transport} upgrade from ${req.socket.remoteAddress} without the sip subprotocol refused`), transport);
        return;
      }
      if (!ctx.table.hasRoom()) {
        refuse(socket, 503, 'Service Unavailable');
        ctx.error(new TransportError('SIP_TRANSPORT_LIMIT', `${transport} connection from ${req.socket.remoteAddress} refused: ${ctx.table.maxConnections} connections open`), transport);
        return;
      }
      const remote = { address: unmapIpv4(req.socket.remoteAddress ?? ''), port: req.socket.remotePort ?? 0 };
      const local = { address: unmapIpv4(req.socket.localAddress ?? ''), port: req.socket.localPort ?? 0 };
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (!ctx.table.hasRoom()) {
          ws.terminate();
          return;
        }
        const conn = new WsConnection(ws, transport, remote, local, 'inbound', ctx.settings, ctx.hooks);
        ctx.table.add(conn);
        ctx.opened(conn);
      });
    });
    const sockets = new Set<Socket>();
    const local = await listenServer(server, config, sockets, transport.toUpperCase());
    server.on('error', (err) => ctx.error(err, transport));
    return new WsTransport(transport, server, wss, sockets, local);
  }

  /** Stops accepting; open connections are closed by the table's owner. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#wss.close();
      await closeServer(this.#server, this.#sockets);
    })();
    return this.#closing;
  }
}
