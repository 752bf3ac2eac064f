/**
 * An inbound event-socket client (specs/esl.md §2.1 life-cycle, §1.2 message types, §8.5 libesl):
 * connects over TCP, waits for `auth/request`, sends `auth <password>` (or `userauth user@domain:pw`),
 * requires `+OK accepted`; then sends commands one at a time and matches replies FIFO, as libesl's
 * esl_send_recv does: the oldest waiting command takes the next `command/reply` or `api/response`.
 * Every other frame (events, log/data, disconnect-notice) is unsolicited and emitted. close() is
 * idempotent.
 */
import { connect, type Socket } from 'node:net';
import { errorMessage, systemClock, TypedEmitter, type Clock, type Logger } from '../../../lib/index.ts';
import { EslClientError } from './esl-client-error.ts';
import { contentType, frameHeader, FrameReader, type ServerFrame } from './frame-reader.ts';

export interface EslClientOptions {
  host: string;
  port: number;
  password: string;
  /** `user@domain`: authenticate with userauth instead of auth. */
  user?: string;
  /** Time allowed for the TCP connect, auth/request and the auth reply (default 5 s). */
  connectTimeoutMs?: number;
  clock?: Clock;
  log?: Logger;
}

export interface EslClientEvents extends Record<string, unknown> {
  /** A frame nobody was waiting for: events, log/data, disconnect-notice, rude-rejection. */
  frame: ServerFrame;
  /** The connection is gone (the reason: server closed, error text, or `closed` for close()). */
  close: string;
}

interface Waiter {
  resolve: (frame: ServerFrame) => void;
  reject: (err: Error) => void;
  timer: { cancel(): void } | undefined;
}

export class EslClient {
  readonly events = new TypedEmitter<EslClientEvents>();
  readonly #socket: Socket;
  readonly #reader = new FrameReader();
  readonly #waiters: Waiter[] = [];
  readonly #clock: Clock;
  readonly #log: Logger | undefined;
  #closed = false;

  private constructor(socket: Socket, clock: Clock, log: Logger | undefined) {
    this.#socket = socket;
    this.#clock = clock;
    this.#log = log;
    socket.on('data', (chunk: Buffer) => this.#data(chunk));
    socket.on('error', (err) => this.#end(errorMessage(err)));
    socket.on('close', () => this.#end('connection closed by the server'));
  }

  get closed(): boolean { return this.#closed; }

  /** Connects and authenticates; rejects with an EslClientError. */
  static async connect(options: EslClientOptions): Promise<EslClient> {
    const clock = options.clock ?? systemClock;
    const timeoutMs = options.connectTimeoutMs ?? 5000;
    const socket = await openSocket(options.host, options.port, clock, timeoutMs);
    socket.setNoDelay(true);
    const client = new EslClient(socket, clock, options.log);
    try {
      const hello = await client.#expect(timeoutMs, 'auth/request');
      const type = contentType(hello);
      if (type === 'text/rude-rejection') throw new EslClientError('ESL_CLIENT_AUTH', `access denied: ${(hello.body ?? '').trim()}`);
      if (type !== 'auth/request') throw new EslClientError('ESL_CLIENT_AUTH', `expected auth/request, got ${type || 'a frame without Content-Type'}`);
      const line = options.user === undefined ? `auth ${options.password}` : `userauth ${options.user}:${options.password}`;
      const reply = await client.send(line, timeoutMs);
      const text = frameHeader(reply, 'Reply-Text') ?? '';
      if (text.toLowerCase() !== '+ok accepted') throw new EslClientError('ESL_CLIENT_AUTH', `authentication failed: ${text || 'no Reply-Text'}`);
      return client;
    } catch (err) {
      client.close();
      throw err;
    }
  }

  /**
   * Sends one command (`line` plus optional headers) and resolves with its reply: the next
   * command/reply or api/response frame. Lines must not contain line breaks.
   */
  send(line: string, timeoutMs = 0, headers: readonly (readonly [string, string])[] = []): Promise<ServerFrame> {
    if (this.#closed) return Promise.reject(new EslClientError('ESL_CLIENT_CLOSED', 'the event socket connection is closed'));
    const clean = (s: string): string => s.replace(/[\r\n]/g, ' ');
    const text = `${clean(line)}\n${headers.map(([n, v]) => `${clean(n)}: ${clean(v)}\n`).join('')}\n`;
    const reply = this.#expect(timeoutMs, line.split(' ')[0] ?? line);
    this.#socket.write(text);
    return reply;
  }

  /** `api <command>`; resolves with the api/response body, or the Reply-Text of a command/reply. */
  async api(command: string, timeoutMs = 0, headers: readonly (readonly [string, string])[] = []): Promise<ServerFrame> {
    return this.send(`api ${command}`, timeoutMs, headers);
  }

  /** Ends the connection (idempotent); replies still awaited are rejected. */
  close(): void {
    this.#end('closed');
  }

  #expect(timeoutMs: number, what: string): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timer: undefined };
      if (timeoutMs > 0) {
        waiter.timer = this.#clock.setTimeout(() => {
          const i = this.#waiters.indexOf(waiter);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(new EslClientError('ESL_CLIENT_TIMEOUT', `no reply to ${what} within ${timeoutMs} ms`));
          // A late reply would be matched to the wrong command: the connection cannot be trusted.
          this.#end('reply timeout');
        }, timeoutMs);
      }
      this.#waiters.push(waiter);
    });
  }

  #data(chunk: Buffer): void {
    for (const r of this.#reader.push(chunk)) {
      if (!r.ok) {
        this.#log?.warn({ reason: r.reason }, 'event socket: malformed frame from the server; disconnecting');
        this.#end(`protocol error: ${r.reason}`);
        return;
      }
      this.#frame(r.frame);
    }
  }

  #frame(frame: ServerFrame): void {
    const type = contentType(frame);
    const isReply = type === 'command/reply' || type === 'api/response' || type === 'auth/request' || type === 'text/rude-rejection';
    const waiter = isReply ? this.#waiters.shift() : undefined;
    if (waiter) {
      waiter.timer?.cancel();
      waiter.resolve(frame);
      return;
    }
    this.events.emit('frame', frame);
  }

  #end(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.destroy();
    const code = reason.startsWith('protocol error') ? 'ESL_CLIENT_PROTOCOL' : 'ESL_CLIENT_CLOSED';
    for (const w of this.#waiters.splice(0)) {
      w.timer?.cancel();
      w.reject(new EslClientError(code, reason === 'closed' ? 'the event socket connection is closed' : reason));
    }
    this.#log?.debug({ reason }, 'event socket client closed');
    this.events.emit('close', reason);
  }
}

function openSocket(host: string, port: number, clock: Clock, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = clock.setTimeout(() => {
      socket.destroy();
      reject(new EslClientError('ESL_CLIENT_TIMEOUT', `connection to ${host}:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      timer.cancel();
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      timer.cancel();
      socket.destroy();
      reject(new EslClientError('ESL_CLIENT_CONNECT', `cannot connect to ${host}:${port}: ${errorMessage(err)}`, { cause: err }));
    });
  });
}
