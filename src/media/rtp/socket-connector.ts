/**
 * The connect() state of one UDP socket. A connected socket sends without an address lookup and the
 * kernel drops datagrams from other sources; Node's connect() completes on a later tick, so a wish that
 * changes meanwhile (a relatch, a re-INVITE, close) is applied when it settles. After close() the socket
 * is handed back (disconnected) through `onReleased` once no connect() is in flight.
 */
import type { Socket } from 'node:dgram';
import type { Logger } from '../../lib/index.ts';

export type ConnectState = 'none' | 'connecting' | 'connected';

export class SocketConnector {
  state: ConnectState = 'none';
  readonly #socket: Socket;
  readonly #onReleased: () => void;
  readonly #log: Logger | undefined;
  #want: { address: string; port: number } | undefined;
  #closed = false;

  constructor(socket: Socket, onReleased: () => void, log?: Logger) {
    this.#socket = socket;
    this.#onReleased = onReleased;
    this.#log = log;
  }

  /** Connects to address:port (reconnecting if connected elsewhere). */
  connectTo(address: string, port: number): void {
    if (this.#closed) return;
    this.#want = { address, port };
    if (this.state === 'connected') {
      this.#socket.disconnect();
      this.state = 'none';
    }
    if (this.state === 'none') this.#start(address, port);
  }

  /** Back to unconnected sending (a connect in flight is undone when it settles). */
  disconnect(): void {
    this.#want = undefined;
    if (this.state !== 'connected') return;
    this.#socket.disconnect();
    this.state = 'none';
  }

  /** Gives the socket back now, or when a connect in flight settles. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#want = undefined;
    if (this.state === 'connected') {
      this.#socket.disconnect();
      this.state = 'none';
    }
    if (this.state !== 'connecting') this.#onReleased();
  }

  #start(address: string, port: number): void {
    this.state = 'connecting';
    this.#socket.connect(port, address, (err?: Error) => {
      if (err) {
        this.state = 'none';
        this.#log?.debug({ address, port, err: err.message }, 'RTP connect failed; sending unconnected');
        if (this.#closed) this.#onReleased();
        return;
      }
      const want = this.#want;
      if (!this.#closed && want && want.address === address && want.port === port) {
        this.state = 'connected';
        return;
      }
      // Closed or redirected meanwhile: undo, then follow the latest wish.
      this.#socket.disconnect();
      this.state = 'none';
      if (this.#closed) this.#onReleased();
      else if (want) this.#start(want.address, want.port);
    });
  }
}
