/**
 * One inbound event-socket connection (specs/esl.md §2.1 life-cycle, §1.3 reply rule, §1.7 delivery):
 * auth/request on accept, 25 s for the first command, commands strictly in order, the reply before any
 * event queued meanwhile, per-listener queue of at most 100 000 events, the session-bound close (or
 * linger) when the `myevents` channel hangs up, and a disconnect-notice before every close. Bad input
 * (oversized header block or Content-Length) drops the connection with a log line.
 */
import type { Socket } from 'node:net';
import { errorMessage, type Logger, type TimerHandle } from '../../lib/index.ts';
import { SINGLE_CHANNEL_COMMANDS, findCommand, type CommandResult, type EslServices, type ListenerState } from './commands/index.ts';
import { eventHeader, eventName, type EslEvent } from './esl-event.ts';
import { framedEvent } from './framed-event.ts';
import {
  CommandReader, GOODBYE, authRequestFrame, commandReplyFrame, disconnectFrame, lingerFrame, logFrame,
  type EslCommand, type LogLine,
} from './framing.ts';
import { Subscription, passesFilters } from './subscription.ts';
import { eventAllowed } from './user-directory.ts';

export const MAX_QUEUED_EVENTS = 100_000;
/** Unsent bytes a socket may hold before further events wait in the listener's queue. */
export const MAX_UNSENT_BYTES = 4 * 1024 * 1024;
export const LOST_EVENTS_TEXT = 'killed listener because of lost events\n';

export interface ConnectionOptions {
  /** Time allowed for the first command (default 25 s). */
  authTimeoutMs?: number;
  /** Events a listener may have waiting (default 100 000); beyond: killed with the lost-events notice. */
  maxQueuedEvents?: number;
  onClosed?: () => void;
  /**
   * An outbound socket (the `socket` app, specs/esl.md §3): no auth/request, already trusted, bound to
   * the channel, the single-channel command set unless `full`; only a first `connect` is answered.
   */
  outbound?: { uuid: string; async: boolean; full: boolean };
}

export class EslConnection {
  readonly peer: string;
  readonly state: ListenerState = {
    authed: false, format: 'plain', listening: false, subscription: new Subscription(), filters: [], divert: false,
  };
  readonly #socket: Socket;
  readonly #services: EslServices;
  readonly #log: Logger;
  readonly #options: ConnectionOptions;
  readonly #reader = new CommandReader();
  readonly #commands: EslCommand[] = [];
  /** Frames waiting for the socket; events are shared, already encoded Buffers (framedEvent). */
  readonly #events: Buffer[] = [];
  #running = false;
  /** A flush of the queued frames is due at the end of this turn of the event loop. */
  #flushDue = false;
  #closed = false;
  #firstSeen = false;
  #authTimer: TimerHandle | undefined;
  #lingerTimer: TimerHandle | undefined;
  /** The bound channel hung up without linger: close once the current command is answered. */
  #closePending = false;
  #offHub: (() => void) | undefined;
  #offLog: (() => void) | undefined;
  #offSession: (() => void) | undefined;
  /** Lets the lingering channel's session go (its destroy events fire). */
  #releaseSession: (() => void) | undefined;

  constructor(socket: Socket, services: EslServices, options: ConnectionOptions = {}) {
    this.#socket = socket;
    this.#services = services;
    this.#options = options;
    this.peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.#log = services.log.child({ peer: this.peer, ...(options.outbound ? { channelId: options.outbound.uuid } : {}) });
    this.closed = new Promise((resolve) => { this.#resolveClosed = resolve; });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => this.#log.debug({ err: errorMessage(err) }, 'event socket error'));
    socket.on('close', () => this.#teardown());
    socket.on('drain', () => {
      if (!this.#running) this.#flushEvents();
    });
  }

  /** Resolves once the connection is closed. */
  readonly closed: Promise<void>;
  #resolveClosed!: () => void;

  start(): void {
    const outbound = this.#options.outbound;
    if (outbound) {
      this.state.authed = true;
      this.state.boundUuid = outbound.uuid;
      this.state.outbound = { async: outbound.async, full: outbound.full, connected: false };
    } else {
      this.#write(authRequestFrame());
    }
    this.#authTimer = this.#services.sw.clock.setTimeout(() => {
      if (!this.#firstSeen) {
        this.#log.info('no command within the auth timeout');
        this.close();
      }
    }, this.#options.authTimeoutMs ?? 25_000);
    this.#offHub = this.#services.hub.listen((e) => this.#onEvent(e));
    this.#offLog = this.#services.logs.listen((l) => this.#onLog(l));
    this.#offSession = this.#services.hub.listenSession((uuid, e) => this.#onSessionEvent(uuid, e));
  }

  /** Sends a disconnect-notice (standard goodbye unless given) and closes. Idempotent. */
  close(message: string = GOODBYE): void {
    if (this.#closed) return;
    if (!this.#running) this.#flushEvents();
    this.#write(disconnectFrame(message, this.state.boundUuid));
    this.#closed = true;
    this.#socket.end();
    this.#teardown();
  }

  /** Drops the socket at once (shutdown fallback for a peer that does not let the goodbye drain). */
  destroy(): void {
    this.#teardown();
    if (!this.#socket.destroyed) this.#socket.destroy();
  }

  #teardown(): void {
    this.#closed = true;
    this.#authTimer?.cancel();
    this.#lingerTimer?.cancel();
    this.#offHub?.();
    this.#offHub = undefined;
    this.#offLog?.();
    this.#offLog = undefined;
    this.#offSession?.();
    this.#offSession = undefined;
    this.#releaseSession?.();
    this.#releaseSession = undefined;
    this.#events.length = 0;
    if (!this.#socket.destroyed) this.#socket.destroySoon();
    const done = this.#options.onClosed;
    this.#options.onClosed = undefined;
    done?.();
    this.#resolveClosed();
  }

  #write(data: string | Buffer): void {
    if (this.#closed || this.#socket.destroyed) return;
    this.#socket.write(data);
  }

  #onData(chunk: Buffer): void {
    for (const r of this.#reader.push(chunk)) {
      if (!r.ok) {
        this.#log.warn({ reason: r.reason }, 'bad event socket input; dropping the connection');
        this.#closed = true;
        this.#socket.destroy();
        this.#teardown();
        return;
      }
      this.#commands.push(r.command);
    }
    void this.#drain();
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    // Events queued before this command go out before its reply.
    this.#flushEvents();
    this.#running = true;
    try {
      for (let cmd = this.#commands.shift(); cmd && !this.#closed; cmd = this.#commands.shift()) {
        this.#authTimer?.cancel();
        const first = !this.#firstSeen;
        this.#firstSeen = true;
        const result = await this.#execute(cmd);
        // An outbound socket answers its first command only when it is `connect` (§3.2).
        const silent = first && this.state.outbound !== undefined && !this.state.outbound.connected;
        if (silent) this.#log.debug({ line: cmd.line.slice(0, 80) }, 'first outbound command was not connect; no reply');
        else if (result.kind === 'reply') this.#write(commandReplyFrame(result.text, result.headers));
        else this.#write(result.data);
        if (result.close) {
          this.close();
          return;
        }
        this.#flushEvents();
        if (this.#closePending) {
          this.close();
          return;
        }
      }
    } finally {
      this.#running = false;
    }
    this.#flushEvents();
  }

  async #execute(cmd: EslCommand): Promise<CommandResult> {
    const found = findCommand(cmd.line);
    const outbound = this.state.outbound;
    if (!found || (!this.state.authed && !found.handler.preAuth)
      || (outbound !== undefined && !outbound.full && !SINGLE_CHANNEL_COMMANDS.has(found.handler.name))) {
      this.#log.debug({ line: cmd.line.slice(0, 80) }, 'command not found');
      return { kind: 'reply', text: '-ERR command not found' };
    }
    try {
      return await found.handler.exec({ state: this.state, command: cmd, arg: found.arg, services: this.#services, peer: this.peer });
    } catch (err) {
      this.#log.warn({ command: found.handler.name, err: errorMessage(err) }, 'event socket command failed');
      return { kind: 'reply', text: '-ERR command failed' };
    }
  }

  #wants(event: EslEvent): boolean {
    const s = this.state;
    if (!s.authed || !s.listening || !s.subscription.matches(event)) return false;
    if (s.myevents === true && s.boundUuid !== undefined && eventHeader(event, 'Unique-ID') !== s.boundUuid
      && eventHeader(event, 'Job-Owner-UUID') !== s.boundUuid) return false;
    // A lingering socket never sees its channel destroyed (§11.4).
    if (s.linger !== undefined && s.boundUuid !== undefined && eventHeader(event, 'Unique-ID') === s.boundUuid) {
      const name = eventName(event);
      if (name === 'CHANNEL_DESTROY' || (name === 'CHANNEL_STATE' && eventHeader(event, 'Channel-State') === 'CS_DESTROY')) return false;
    }
    if (s.permissions && !eventAllowed(s.permissions, eventName(event), eventHeader(event, 'Event-Subclass'))) return false;
    return passesFilters(s.filters, event);
  }

  #onEvent(event: EslEvent): void {
    if (this.#closed) return;
    if (this.#wants(event)) {
      if (this.#events.length >= (this.#options.maxQueuedEvents ?? MAX_QUEUED_EVENTS)) {
        this.#log.warn('event queue full; killing the listener');
        this.close(LOST_EVENTS_TEXT);
        // A peer that does not read would hold the unsent bytes: give the notice a moment, then drop it.
        setTimeout(() => this.destroy(), 2000).unref();
        return;
      }
      this.#events.push(framedEvent(event, this.state.format));
      this.#scheduleFlush();
    }
    const bound = this.state.boundUuid;
    if (bound !== undefined && eventName(event) === 'CHANNEL_HANGUP' && eventHeader(event, 'Unique-ID') === bound) this.#boundHangup();
  }

  /** An event queued to a channel: taken when this socket controls it with divert_events on (§2.2, §11.3). */
  #onSessionEvent(uuid: string, event: EslEvent): boolean {
    const s = this.state;
    if (this.#closed || !s.divert || s.boundUuid !== uuid) return false;
    this.#events.push(framedEvent(event, s.format));
    this.#scheduleFlush();
    return true;
  }

  /** A server log line: queued as log/data when `log` asked for its level (§2.2 log). */
  #onLog(line: LogLine): void {
    const level = this.state.logLevel;
    if (this.#closed || level === undefined || line.level > level) return;
    if (this.#events.length >= (this.#options.maxQueuedEvents ?? MAX_QUEUED_EVENTS)) return;
    this.#events.push(Buffer.from(logFrame(line)));
    this.#scheduleFlush();
  }

  #boundHangup(): void {
    const bound = this.state.boundUuid!;
    const linger = this.state.linger;
    if (linger === undefined) {
      if (this.#running) {
        this.#closePending = true;
      } else {
        this.#flushEvents();
        this.close();
      }
      return;
    }
    const name = this.#services.sw.channel(bound)?.name ?? '';
    // The socket holds the session until it closes (§11.4): destroy events wait, getvar still reads it.
    this.#releaseSession ??= this.#services.hub.holdSession(bound);
    this.#events.push(Buffer.from(lingerFrame(bound, name, linger)));
    this.#scheduleFlush();
    if (linger > 0) this.#lingerTimer = this.#services.sw.clock.setTimeout(() => this.close(), linger * 1000);
  }

  /**
   * Flushes once the current turn of the event loop is over, so the events of one burst (a call's
   * hangup, the commands of one read) leave in one write per subscriber instead of one each.
   */
  #scheduleFlush(): void {
    if (this.#running || this.#flushDue) return;
    this.#flushDue = true;
    setImmediate(() => {
      this.#flushDue = false;
      if (!this.#running) this.#flushEvents();
    });
  }

  /**
   * Writes queued frames while the socket holds less than MAX_UNSENT_BYTES unsent; the rest waits for
   * 'drain'. A client that stops reading thus fills the bounded queue, and is killed (§1.7).
   */
  #flushEvents(): void {
    if (this.#events.length === 0 || this.#closed) return;
    let n = 0;
    let room = MAX_UNSENT_BYTES - this.#socket.writableLength;
    while (n < this.#events.length && room > 0) room -= this.#events[n++]!.length;
    if (n === 0) return;
    const batch = this.#events.splice(0, n);
    this.#write(batch.length === 1 ? batch[0]! : Buffer.concat(batch));
  }
}
