/**
 * Starting and stopping the listening socket of a stream transport (TCP, TLS, WS, WSS; RFC 3261
 * section 18): port 0 binds an ephemeral port, and closing also drops sockets that never became a SIP
 * connection (a TLS handshake or an HTTP request in progress), so that close() always completes.
 */
import type { Server, Socket } from 'node:net';
import { TransportError } from './errors.ts';
import type { AddressPort } from './types.ts';

export interface ListenConfig {
  address: string;
  port: number;
  /** For "::": refuse IPv4 peers (default false: dual-stack). */
  ipv6Only?: boolean;
}

/** Listens and resolves with the bound address; tracks every accepted raw socket in `sockets`. */
export function listenServer(server: Server, config: ListenConfig, sockets: Set<Socket>, what: string): Promise<AddressPort> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => {
      server.close();
      reject(new TransportError('SIP_TRANSPORT_LISTEN', `${what} listen on ${config.address}:${config.port} failed: ${err.message}`, { cause: err }));
    };
    server.once('error', fail);
    server.listen({ host: config.address, port: config.port, ipv6Only: config.ipv6Only ?? false, exclusive: true }, () => {
      server.off('error', fail);
      const bound = server.address();
      const port = bound !== null && typeof bound === 'object' ? bound.port : config.port;
      resolve({ address: config.address, port });
    });
  });
}

/** Stops accepting, destroys the remaining raw sockets, and resolves when the server is closed. */
export function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      for (const socket of sockets) socket.destroy();
      resolve();
      return;
    }
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  });
}
