/**
 * The client end of one listen/stream audio socket (specs/jambonz.md §3.C): connects to the app's URL
 * offering both subprotocol names (`audio.drachtio.org`, the original's default, and the documented
 * `audio.jambonz.org`), with HTTP Basic auth from `wsAuth`; a handshake that does not finish in time
 * fails. Text and binary frames come up as typed events; frames out are dropped (and counted) while the
 * peer is not reading, so a stalled app never grows the server's memory. close() is idempotent.
 *
 * Audio frames are sent at the end of the event-loop turn that made them: each stays its own binary
 * frame, but when one turn brings several (the chunks of more than one media tick), they leave in one
 * socket write instead of one write each. A text frame is sent after the audio queued before it.
 */
import WebSocket from 'ws';
import { errorMessage, TypedEmitter, type Logger } from '../../../../lib/index.ts';

export const AUDIO_SUBPROTOCOLS = ['audio.drachtio.org', 'audio.jambonz.org'] as const;

export interface AudioSocketEvents extends Record<string, unknown> {
  text: string;
  binary: Buffer;
  /** The socket is gone: closed by either side, or failed (`error` set). Emitted once. */
  closed: { code: number; reason: string; error?: string };
}

export interface AudioSocketOptions {
  url: string;
  auth?: { username: string; password: string } | undefined;
  /** Handshake time limit (default 5 s). */
  connectTimeoutMs?: number;
  /** Bytes queued to the peer beyond which audio frames are dropped (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Largest frame accepted from the app (default 4 MiB: playAudio content of a few seconds). */
  maxFrameBytes?: number;
}

/** The TCP socket under a ws 8 client (`_socket`, set once open): corked around a turn's audio frames. */
interface Corkable { cork(): void; uncork(): void }
const BINARY = { binary: true } as const;

export class AudioSocket extends TypedEmitter<AudioSocketEvents> {
  readonly #ws: WebSocket;
  readonly #log: Logger;
  readonly #maxBuffered: number;
  readonly opened: Promise<{ ok: true; protocol: string } | { ok: false; error: string }>;
  #closed = false;
  /** Audio frames of this turn, sent together at its end. */
  #pending: Buffer[] = [];
  /** Audio frames dropped because the peer was not reading. */
  dropped = 0;
  /** Socket writes that carried more than one audio frame. */
  batchedWrites = 0;

  constructor(options: AudioSocketOptions, log: Logger) {
    super((err) => log.warn({ err }, 'audio socket listener failed'));
    this.#log = log;
    this.#maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
    const headers: Record<string, string> = {};
    if (options.auth) headers['Authorization'] = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
    this.#ws = new WebSocket(options.url, [...AUDIO_SUBPROTOCOLS], {
      headers, handshakeTimeout: options.connectTimeoutMs ?? 5000, maxPayload: options.maxFrameBytes ?? 4 * 1024 * 1024,
      perMessageDeflate: false,
    });
    const ws = this.#ws;
    this.opened = new Promise((resolve) => {
      ws.once('open', () => resolve({ ok: true, protocol: ws.protocol }));
      ws.once('close', () => resolve({ ok: false, error: 'closed before the handshake ended' }));
      ws.once('error', (err) => resolve({ ok: false, error: errorMessage(err) }));
    });
    let failure: string | undefined;
    ws.on('error', (err) => {
      failure = errorMessage(err);
      this.#log.info({ err: failure }, 'audio socket error');
    });
    ws.on('message', (data, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (isBinary) this.emit('binary', buf);
      else this.emit('text', buf.toString('utf8'));
    });
    ws.on('close', (code, reason) => {
      this.#closed = true;
      this.emit('closed', { code, reason: reason.toString('utf8'), ...(failure !== undefined ? { error: failure } : {}) });
    });
  }

  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  sendJson(value: Record<string, unknown>): void {
    if (!this.isOpen) return;
    this.#flush();
    this.#ws.send(JSON.stringify(value));
  }

  /** Queues an audio frame for the end of this turn; dropped while more than the limit waits to be sent. */
  sendAudio(bytes: Buffer): void {
    if (!this.isOpen) return;
    if (this.#ws.bufferedAmount > this.#maxBuffered) {
      if (this.dropped++ === 0) this.#log.warn({ buffered: this.#ws.bufferedAmount }, 'audio socket peer is not reading: dropping audio');
      return;
    }
    if (this.#pending.push(bytes) === 1) queueMicrotask(this.#flushTurn);
  }

  readonly #flushTurn = (): void => {
    try {
      this.#flush();
    } catch (err) {
      this.#log.warn({ err: errorMessage(err) }, 'audio frames could not be sent');
    }
  };

  /** Sends the queued audio frames: one frame alone, several in one write (the socket corked around them). */
  #flush(): void {
    const frames = this.#pending;
    if (frames.length === 0) return;
    this.#pending = [];
    if (!this.isOpen) return;
    const ws = this.#ws;
    if (frames.length === 1) {
      ws.send(frames[0]!, BINARY);
      return;
    }
    const socket = (ws as unknown as { _socket?: Corkable })._socket;
    socket?.cork();
    for (const f of frames) ws.send(f, BINARY);
    socket?.uncork();
    if (socket) this.batchedWrites++;
  }

  /** Closes the socket (1000 unless told); idempotent. */
  close(code = 1000, reason = ''): void {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    const ws = this.#ws;
    if (ws.readyState === WebSocket.CONNECTING) {
      ws.terminate();
      return;
    }
    try {
      ws.close(code, reason);
    } catch {
      ws.terminate();
    }
    // A peer that never answers the close handshake is cut off.
    const t = setTimeout(() => ws.terminate(), 2000);
    t.unref();
    ws.once('close', () => clearTimeout(t));
  }
}
