/**
 * The WebSocket requestor (specs/jambonz.md §1.1-§1.8): one socket per call to the application, opened
 * with subprotocol `ws.jambonz.org` on the first message. Requests (`session:new`, `session:redirect`,
 * `verb:hook`, ...) carry a msgid and resolve with the matching ack's `data` or reject after the ack
 * timeout (5 s); notifications are sent without waiting. `command` messages from the app are emitted as
 * `command` events; invalid frames (broken JSON, unknown type, binary) are answered with `jambonz:error`.
 * Initial connect failures are retried per the hook's `#rc=&rp=` (default 5 tries on connection errors).
 * After an unexpected close it reconnects with backoff, sends `session:reconnect` with the `session:new`
 * data, and queues everything else until that is acked; acks in flight are abandoned, except an unacked
 * `session:new`, which the reconnect ack answers. A close with 1000 by the app ends the session (no
 * reconnect, later messages dropped). `closed` is emitted when the socket is gone for good.
 */
import WebSocket from 'ws';
import type { Clock, Logger } from '../../../lib/index.ts';
import { TypedEmitter, errorMessage, randomToken, silentLogger, systemClock } from '../../../lib/index.ts';
import type { Hook, HookNotifyType, HookRequestType, Requestor, RequestorEvents } from '../contract.ts';
import type { HookTarget, RetryReason } from './hook-target.ts';
import { basicAuth, hookUrl, retryDelayMs } from './hook-target.ts';
import { RequestorError } from './requestor-error.ts';
import type { RequestorEventMap } from './requestor-events.ts';
import { TYPES_WITHOUT_ACK, buildEnvelope, parseAppMessage } from './ws-envelope.ts';
import { snakeCaseKeys } from './snake-case.ts';

export const WS_SUBPROTOCOL = 'ws.jambonz.org';
export const DEFAULT_ACK_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 1500;

export interface WsRequestorOptions {
  /** The resolved ws(s) call hook (its retry policy sets connect retries and the reconnect budget). */
  target: HookTarget;
  callSid: string;
  /** Ack timeout for every request type, or per type (missing types use 5 s). */
  ackTimeoutMs?: number | Partial<Record<string, number>>;
  /** Largest frame accepted from the app (default 1 MiB; the original's is 24 KiB). */
  maxFrameBytes?: number;
  handshakeTimeoutMs?: number;
  userAgent?: string;
  clock?: Clock;
  /** Delay before connect retry / reconnect `attempt` (1-based); default retryDelayMs. */
  retryDelay?: (attempt: number) => number;
  log?: Logger;
}

interface Pending {
  type: string;
  resolve(data: unknown): void;
  reject(err: Error): void;
  timer?: { cancel(): void };
  /** Written to a socket (queued ones are not, and survive a reconnect). */
  sent?: boolean;
}

interface Outgoing {
  frame: string;
  msgid: string;
  /** Set for messages that expect an ack. */
  pending?: Pending;
}

type State = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export class WsRequestor implements Requestor {
  readonly transport = 'ws' as const;
  readonly #opts: WsRequestorOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #events: TypedEmitter<RequestorEventMap>;
  readonly #pending = new Map<string, Pending>();
  /** Messages waiting for the socket (connecting) or for the `session:reconnect` ack. */
  readonly #queue: Outgoing[] = [];
  #state: State = 'idle';
  #ws: WebSocket | undefined;
  #opened = false;
  /** Connect attempts of the current (re)connection, and reconnects so far. */
  #failures = 0;
  #reconnects = 0;
  #retryTimer: { cancel(): void } | undefined;
  #sessionData: unknown;
  #sessionNewMsgid: string | undefined;
  #awaitingReconnectAck = false;
  #frameTooLarge = false;
  #lastError = '';

  constructor(opts: WsRequestorOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    this.#log = (opts.log ?? silentLogger()).child({ callSid: opts.callSid, transport: 'ws' });
    this.#events = new TypedEmitter((err, event) => this.#log.error({ err, event }, 'requestor listener failed'));
  }

  /** True while the socket is open and not waiting for a reconnect ack. */
  get connected(): boolean {
    return this.#state === 'open' && !this.#awaitingReconnectAck;
  }

  request(type: HookRequestType, hook: Hook, payload: Record<string, unknown>): Promise<unknown> {
    if (this.#state === 'closed') {
      return Promise.reject(new RequestorError('JAMBONZ_HOOK_CLOSED', `websocket closed, ${type} not sent`));
    }
    const data = snakeCaseKeys(payload);
    const msgid = randomToken(10);
    if (type === 'session:new') {
      this.#sessionData = data;
      this.#sessionNewMsgid = msgid;
    }
    // A dial's B leg with its own app: a reconnect of its socket carries the session:adulting data.
    if (type === 'session:adulting') this.#sessionData = data;
    const written = hookUrl(hook)?.split('#')[0];
    const frame = JSON.stringify(buildEnvelope(type, msgid, this.#opts.callSid, data, written));
    return new Promise((resolve, reject) => {
      const pending: Pending = { type, resolve, reject };
      this.#pending.set(msgid, pending);
      this.#enqueue({ frame, msgid, pending });
    });
  }

  notify(type: HookNotifyType, hook: Hook | undefined, payload: Record<string, unknown>): void {
    if (this.#state === 'closed') {
      this.#log.debug({ type }, 'websocket closed, notification dropped');
      return;
    }
    const written = hookUrl(hook)?.split('#')[0];
    const msgid = randomToken(10);
    const frame = JSON.stringify(buildEnvelope(type, msgid, this.#opts.callSid, snakeCaseKeys(payload), written));
    this.#enqueue({ frame, msgid });
  }

  on<K extends keyof RequestorEvents>(event: K, listener: (payload: RequestorEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  close(code = 1000): Promise<void> {
    if (this.#state === 'closed') return Promise.resolve();
    this.#state = 'closed';
    this.#retryTimer?.cancel();
    // The error (and its stack) is made only when something is waiting for an ack.
    if (this.#pending.size > 0) this.#rejectAll(new RequestorError('JAMBONZ_HOOK_CLOSED', 'requestor closed'));
    this.#queue.length = 0;
    const ws = this.#ws;
    this.#ws = undefined;
    this.#events.removeAllListeners();
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const guard = this.#clock.setTimeout(() => {
        ws.terminate();
        resolve();
      }, 1000);
      ws.once('close', () => {
        guard.cancel();
        resolve();
      });
      if (ws.readyState === WebSocket.OPEN) ws.close(code);
      else ws.terminate();
    });
  }

  #ackTimeout(type: string): number {
    const t = this.#opts.ackTimeoutMs;
    if (typeof t === 'number') return t;
    return t?.[type] ?? DEFAULT_ACK_TIMEOUT_MS;
  }

  #enqueue(out: Outgoing): void {
    if (this.#state === 'idle') this.#connect();
    if (this.#state === 'open' && !this.#awaitingReconnectAck) this.#write(out);
    else this.#queue.push(out);
  }

  #write(out: Outgoing): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      this.#queue.push(out);
      return;
    }
    ws.send(out.frame);
    const pending = out.pending;
    if (pending) pending.sent = true;
    if (pending && !TYPES_WITHOUT_ACK.has(pending.type)) {
      const ms = this.#ackTimeout(pending.type);
      pending.timer = this.#clock.setTimeout(() => this.#ackTimedOut(out.msgid), ms);
    }
  }

  #flush(): void {
    const items = this.#queue.splice(0);
    for (const out of items) this.#write(out);
  }

  #ackTimedOut(msgid: string): void {
    const pending = this.#pending.get(msgid);
    if (!pending) return;
    this.#pending.delete(msgid);
    const ms = this.#ackTimeout(pending.type);
    this.#log.warn({ msgid, type: pending.type, ms }, 'no ack from the application in time');
    pending.reject(new RequestorError('JAMBONZ_HOOK_TIMEOUT', `no ack for ${pending.type} within ${ms} ms`));
  }

  #connect(): void {
    const reconnect = this.#opened;
    this.#state = reconnect ? 'reconnecting' : 'connecting';
    this.#frameTooLarge = false;
    const target = this.#opts.target;
    const headers: Record<string, string> = {};
    const auth = basicAuth(target);
    if (auth) headers['Authorization'] = auth;
    if (this.#opts.userAgent) headers['User-Agent'] = this.#opts.userAgent;
    let ws: WebSocket;
    try {
      ws = new WebSocket(target.url, [WS_SUBPROTOCOL], {
        headers,
        handshakeTimeout: this.#opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
        maxPayload: this.#opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
        followRedirects: true,
        maxRedirects: 2,
      });
    } catch (err) {
      this.#lastError = errorMessage(err);
      this.#giveUp(1006, this.#lastError, 'JAMBONZ_HOOK_URL');
      return;
    }
    this.#ws = ws;
    let opened = false;
    ws.on('open', () => {
      if (this.#ws !== ws) return;
      opened = true;
      this.#opened = true;
      this.#failures = 0;
      this.#state = 'open';
      this.#log.debug({ url: target.url, reconnect }, 'websocket open');
      if (reconnect) this.#sendReconnect();
      else this.#flush();
    });
    ws.on('message', (data, isBinary) => {
      if (this.#ws !== ws) return;
      if (isBinary) {
        this.#invalid('binary frames are not accepted', '');
        return;
      }
      this.#onText(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
    });
    ws.on('error', (err: Error & { code?: string }) => {
      this.#lastError = err.message;
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.#frameTooLarge = true;
      this.#log.info({ err: err.message, code: err.code }, 'websocket error');
    });
    ws.on('close', (code, reasonBuf) => {
      if (this.#ws !== ws) return;
      this.#ws = undefined;
      const reason = reasonBuf.toString('utf8');
      if (!opened) this.#connectFailed(reconnect);
      else this.#closedAfterOpen(code, reason);
    });
  }

  /** A failed handshake (or connect error): retry per policy, or give up. */
  #connectFailed(reconnect: boolean): void {
    if (this.#state === 'closed') return;
    const status = /Unexpected server response: (\d{3})/.exec(this.#lastError)?.[1];
    const reason: RetryReason = status ? (status.startsWith('4') ? '4xx' : '5xx') : /timed out/i.test(this.#lastError) ? 'rt' : 'ct';
    const retry = this.#opts.target.retry;
    let allowed: boolean;
    if (reconnect) {
      this.#reconnects++;
      allowed = this.#reconnects <= retry.count;
    } else {
      this.#failures++;
      allowed = this.#failures <= retry.count && retry.on.has(reason);
    }
    this.#log.info({ err: this.#lastError, reconnect, retry: allowed }, 'websocket connect failed');
    if (!allowed) {
      this.#giveUp(1006, this.#lastError, 'JAMBONZ_HOOK_CONNECT');
      return;
    }
    this.#scheduleConnect(reconnect ? this.#reconnects : this.#failures);
  }

  #closedAfterOpen(code: number, reason: string): void {
    if (this.#state === 'closed') return;
    this.#awaitingReconnectAck = false;
    if (code === 1000) {
      this.#log.info({ reason }, 'application closed the websocket');
      this.#giveUp(1000, reason, 'JAMBONZ_HOOK_CLOSED');
      return;
    }
    const tooLarge = this.#frameTooLarge;
    this.#log.warn({ code, reason, tooLarge }, 'websocket closed unexpectedly');
    const abandoned = tooLarge
      ? new RequestorError('JAMBONZ_WS_FRAME_TOO_LARGE', `a frame from the application exceeded ${this.#opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES} bytes`)
      : new RequestorError('JAMBONZ_HOOK_CLOSED', `websocket closed (${code}) before the ack`);
    for (const [msgid, pending] of [...this.#pending]) {
      if (msgid === this.#sessionNewMsgid) {
        pending.timer?.cancel();
        continue;
      }
      if (!pending.sent) continue;
      this.#pending.delete(msgid);
      pending.timer?.cancel();
      pending.reject(abandoned);
    }
    this.#reconnects++;
    if (this.#reconnects > this.#opts.target.retry.count) {
      this.#giveUp(code, reason || 'reconnect attempts exhausted', 'JAMBONZ_HOOK_CLOSED');
      return;
    }
    this.#state = 'reconnecting';
    this.#scheduleConnect(this.#reconnects);
  }

  #scheduleConnect(attempt: number): void {
    const ms = (this.#opts.retryDelay ?? retryDelayMs)(attempt);
    this.#state = this.#opened ? 'reconnecting' : 'connecting';
    this.#retryTimer = this.#clock.setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#state !== 'closed') this.#connect();
    }, ms);
  }

  /** After a reconnect: `session:reconnect` first; the rest waits in the queue until it is acked. */
  #sendReconnect(): void {
    if (this.#sessionData === undefined) {
      this.#reconnects = 0;
      this.#flush();
      return;
    }
    const msgid = randomToken(10);
    const sessionNew = this.#sessionNewMsgid !== undefined ? this.#pending.get(this.#sessionNewMsgid) : undefined;
    if (sessionNew && this.#sessionNewMsgid) this.#pending.delete(this.#sessionNewMsgid);
    this.#sessionNewMsgid = sessionNew ? msgid : undefined;
    this.#awaitingReconnectAck = true;
    const pending: Pending = {
      type: 'session:reconnect',
      resolve: (data) => {
        this.#awaitingReconnectAck = false;
        this.#reconnects = 0;
        sessionNew?.resolve(data);
        this.#flush();
      },
      reject: (err) => {
        this.#awaitingReconnectAck = false;
        sessionNew?.reject(err);
        if (err instanceof RequestorError && err.code === 'JAMBONZ_HOOK_TIMEOUT') {
          this.#giveUp(1001, 'session:reconnect was not acked', 'JAMBONZ_HOOK_TIMEOUT');
        }
      },
    };
    this.#pending.set(msgid, pending);
    const frame = JSON.stringify(buildEnvelope('session:reconnect', msgid, this.#opts.callSid, this.#sessionData));
    this.#write({ frame, msgid, pending });
  }

  #onText(text: string): void {
    const msg = parseAppMessage(text);
    if (msg.kind === 'invalid') {
      this.#invalid(msg.details, text);
      return;
    }
    if (msg.kind === 'ack') {
      const pending = this.#pending.get(msg.msgid);
      if (!pending) {
        this.#log.info({ msgid: msg.msgid }, 'ack for an unknown msgid dropped');
        return;
      }
      this.#pending.delete(msg.msgid);
      if (msg.msgid === this.#sessionNewMsgid) this.#sessionNewMsgid = undefined;
      pending.timer?.cancel();
      pending.resolve(msg.data);
      return;
    }
    this.#log.debug({ command: msg.command.command, queueCommand: msg.command.queueCommand }, 'command from the application');
    this.#events.emit('command', msg.command);
  }

  #invalid(details: string, content: string): void {
    this.#log.warn({ details }, 'invalid message from the application');
    if (this.#state !== 'open') return;
    const data = { msg: 'InvalidMessage', details, content: content.slice(0, 2048) };
    const frame = JSON.stringify(buildEnvelope('jambonz:error', randomToken(10), this.#opts.callSid, data));
    this.#ws?.send(frame);
  }

  #rejectAll(err: Error): void {
    for (const pending of this.#pending.values()) {
      pending.timer?.cancel();
      pending.reject(err);
    }
    this.#pending.clear();
  }

  /** The socket is gone for good: fail everything and tell the session. */
  #giveUp(code: number, reason: string, errCode: 'JAMBONZ_HOOK_CONNECT' | 'JAMBONZ_HOOK_CLOSED' | 'JAMBONZ_HOOK_TIMEOUT' | 'JAMBONZ_HOOK_URL'): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#retryTimer?.cancel();
    const ws = this.#ws;
    this.#ws = undefined;
    if (ws && ws.readyState === WebSocket.OPEN) ws.close(1001);
    else ws?.terminate();
    this.#queue.length = 0;
    this.#rejectAll(new RequestorError(errCode, `websocket to the application is gone: ${reason}`));
    this.#events.emit('closed', { code, reason });
    this.#events.removeAllListeners();
  }
}
