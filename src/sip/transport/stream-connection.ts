/**
 * A TCP or TLS connection carrying SIP (RFC 3261 section 18.3): bytes are framed by Content-Length,
 * RFC 5626 section 4.4.1 CRLFCRLF pings are answered with a CRLF pong, and a framing error leaves the
 * connection writable for a short linger (so the stack can answer 400 or 513) before it closes.
 */
import type { Socket } from 'node:net';
import type { TimerHandle } from '../../lib/index.ts';
import { Connection, type ConnectionHooks, type ConnectionSettings } from './connection.ts';
import { TransportError, type FramingError } from './errors.ts';
import { unmapIpv4 } from './ip-address.ts';
import { StreamFramer } from './stream-framer.ts';
import type { TransportName } from './types.ts';

const PONG = Buffer.from('\r\n');

export class StreamConnection extends Connection {
  readonly #socket: Socket;
  readonly #framer: StreamFramer;
  #lingering = false;
  #lingerTimer: TimerHandle | undefined;
  #socketError: Error | undefined;

  /** Wraps a connected socket (for TLS: after the handshake). */
  constructor(
    socket: Socket,
    transport: Extract<TransportName, 'tcp' | 'tls'>,
    direction: 'inbound' | 'outbound',
    settings: ConnectionSettings,
    hooks: ConnectionHooks,
  ) {
    super(
      transport,
      { address: unmapIpv4(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 },
      { address: unmapIpv4(socket.localAddress ?? ''), port: socket.localPort ?? 0 },
      direction,
      settings,
      hooks,
    );
    this.#socket = socket;
    socket.setNoDelay(true);
    if (settings.tcpKeepAliveMs > 0) socket.setKeepAlive(true, settings.tcpKeepAliveMs);
    this.#framer = new StreamFramer(
      {
        message: (data) => {
          if (!this.closed) this.hooks.message(this, data);
        },
        ping: () => {
          if (!this.closed && !this.#lingering) socket.write(PONG);
        },
        error: (err) => this.#framingFailed(err),
      },
      settings.framer,
    );
    socket.on('data', (chunk: Buffer) => {
      this.touch();
      this.#framer.push(chunk);
    });
    socket.on('error', (err) => {
      this.#socketError ??= err;
    });
    socket.on('close', () => {
      if (this.#socketError) this.close('error', this.#socketError);
      else this.close(this.#lingering ? 'framing' : 'remote');
    });
  }

  send(data: Buffer): Promise<void> {
    if (this.closed || this.#socket.destroyed) {
      return Promise.reject(new TransportError('SIP_TRANSPORT_CLOSED', `connection ${this.id} is closed`));
    }
    this.touch();
    return new Promise<void>((resolve, reject) => {
      this.#socket.write(data, (err) => {
        if (err) reject(new TransportError('SIP_TRANSPORT_SEND', `write on ${this.id} failed: ${err.message}`, { cause: err }));
        else resolve();
      });
      if (this.#lingering) {
        this.#socket.end();
      } else if (this.#socket.writableLength > this.settings.maxWriteBufferBytes) {
        this.close('error', new TransportError('SIP_TRANSPORT_SEND', `peer of ${this.id} does not read: write buffer over ${this.settings.maxWriteBufferBytes} bytes`));
      }
    });
  }

  protected destroy(): void {
    this.#lingerTimer?.cancel();
    this.#socket.destroy();
  }

  #framingFailed(err: FramingError): void {
    if (this.closed) return;
    this.#lingering = true;
    this.#socket.pause();
    this.#lingerTimer = this.settings.clock.setTimeout(() => this.close('framing', err), this.settings.lingerMs);
    this.hooks.framingError(this, err);
  }
}
