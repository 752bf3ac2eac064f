/**
 * The part shared by every stream connection (RFC 3261 section 18: TCP and TLS; RFC 7118: WS and WSS):
 * identity, idle close after a period without traffic in either direction, and an idempotent close that
 * reports once to the owner.
 */
import type { Clock, TimerHandle } from '../../lib/index.ts';
import type { FramingError } from './errors.ts';
import type { FramerLimits } from './stream-framer.ts';
import type { AddressPort, CloseReason, ConnectionInfo, TransportName } from './types.ts';

export interface ConnectionSettings {
  clock: Clock;
  /** Close after this long without traffic; 0 never. */
  idleTimeoutMs: number;
  /** After a framing error, how long the connection stays writable for an error response. */
  lingerMs: number;
  /** A peer that lets more than this pile up unread in our write buffer is disconnected. */
  maxWriteBufferBytes: number;
  framer: FramerLimits;
  /** TCP keep-alive probe delay for TCP/TLS sockets (detects half-open peers); 0 disables. */
  tcpKeepAliveMs: number;
}

/** How a connection reports to whoever owns it (the transport manager). */
export interface ConnectionHooks {
  message(conn: Connection, data: Buffer): void;
  framingError(conn: Connection, err: FramingError): void;
  closed(conn: Connection, reason: CloseReason, error?: Error): void;
}

let nextId = 1;

export abstract class Connection {
  readonly id: string;
  readonly transport: TransportName;
  readonly remote: AddressPort;
  readonly local: AddressPort;
  readonly direction: 'inbound' | 'outbound';
  protected readonly settings: ConnectionSettings;
  protected readonly hooks: ConnectionHooks;
  #closed = false;
  #lastActivity: number;
  #idleTimer: TimerHandle | undefined;

  protected constructor(
    transport: TransportName,
    remote: AddressPort,
    local: AddressPort,
    direction: 'inbound' | 'outbound',
    settings: ConnectionSettings,
    hooks: ConnectionHooks,
  ) {
    this.id = `${transport}-${nextId++}`;
    this.transport = transport;
    this.remote = remote;
    this.local = local;
    this.direction = direction;
    this.settings = settings;
    this.hooks = hooks;
    this.#lastActivity = settings.clock.now();
    this.#armIdle(settings.idleTimeoutMs);
  }

  get closed(): boolean {
    return this.#closed;
  }

  info(): ConnectionInfo {
    return { id: this.id, transport: this.transport, remote: { ...this.remote }, local: { ...this.local }, direction: this.direction };
  }

  /** Writes one message (or keep-alive); resolves once the bytes are handed to the socket. */
  abstract send(data: Buffer): Promise<void>;

  /** Closes at once and reports to the owner; harmless to call again. */
  close(reason: CloseReason = 'local', error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#idleTimer?.cancel();
    this.#idleTimer = undefined;
    this.destroy();
    this.hooks.closed(this, reason, error);
  }

  /** Releases the socket; called once by close(). */
  protected abstract destroy(): void;

  /** Records traffic, postponing the idle close. */
  protected touch(): void {
    this.#lastActivity = this.settings.clock.now();
  }

  #armIdle(ms: number): void {
    if (this.settings.idleTimeoutMs <= 0 || this.#closed) return;
    this.#idleTimer = this.settings.clock.setTimeout(() => {
      const quiet = this.settings.clock.now() - this.#lastActivity;
      if (quiet >= this.settings.idleTimeoutMs) this.close('idle');
      else this.#armIdle(this.settings.idleTimeoutMs - quiet);
    }, ms);
  }
}
