/**
 * The inbound event-socket listener (specs/esl.md §2.1, §10): a TCP server that checks each peer against
 * the ACLs (rejected: rude-rejection, disconnect-notice, close, a warning `IP <ip> Rejected by acl`),
 * then hands it to an EslConnection. close() says `The system is being shut down.` to every client.
 */
import { createServer, type Server } from 'node:net';
import { aclRejects, type AclEntry } from './acl.ts';
import type { EslServices } from './commands/index.ts';
import { EslConnection } from './connection.ts';
import { disconnectFrame, rudeRejectionFrame } from './framing.ts';

export const SHUTDOWN_TEXT = 'The system is being shut down.\n';

export interface ServerOptions {
  host: string;
  port: number;
  acl: readonly AclEntry[];
  authTimeoutMs?: number;
  maxQueuedEvents?: number;
}

export class EslServer {
  readonly #server: Server;
  readonly #connections = new Set<EslConnection>();
  #closing: Promise<void> | undefined;

  private constructor(server: Server) {
    this.#server = server;
  }

  static listen(services: EslServices, options: ServerOptions): Promise<EslServer> {
    const server = createServer({ noDelay: true });
    const esl = new EslServer(server);
    server.on('connection', (socket) => {
      const ip = socket.remoteAddress ?? '';
      const rejected = aclRejects(options.acl, ip);
      if (rejected !== undefined) {
        services.log.warn({ ip }, `IP ${ip} Rejected by acl "${rejected}"`);
        socket.on('error', () => {});
        socket.end(rudeRejectionFrame() + disconnectFrame());
        return;
      }
      const conn = new EslConnection(socket, services, {
        ...(options.authTimeoutMs === undefined ? {} : { authTimeoutMs: options.authTimeoutMs }),
        ...(options.maxQueuedEvents === undefined ? {} : { maxQueuedEvents: options.maxQueuedEvents }),
        onClosed: () => esl.#connections.delete(conn),
      });
      esl.#connections.add(conn);
      conn.start();
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: options.host, port: options.port }, () => {
        server.off('error', reject);
        server.on('error', (err) => services.log.warn({ err: err.message }, 'event socket server error'));
        resolve(esl);
      });
    });
  }

  get address(): { host: string; port: number } {
    const a = this.#server.address();
    if (a === null || typeof a === 'string') return { host: '', port: 0 };
    return { host: a.address, port: a.port };
  }

  get connectionCount(): number { return this.#connections.size; }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      const open = [...this.#connections];
      for (const c of open) c.close(SHUTDOWN_TEXT);
      this.#connections.clear();
      // A peer that stops reading would keep its socket (and server.close) waiting forever.
      const fallback = setTimeout(() => {
        for (const c of open) c.destroy();
      }, 2000);
      fallback.unref();
      this.#server.close(() => {
        clearTimeout(fallback);
        resolve();
      });
    });
    return this.#closing;
  }
}
