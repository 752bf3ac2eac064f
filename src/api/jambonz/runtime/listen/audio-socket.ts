/**
 * The client end of one listen/stream audio socket (specs/jambonz.md §3.C): connects to the app's URL
 * offering both subprotocol names (`audio.drachtio.org`, the original's default, and the documented
 * `audio.jambonz.org`), with HTTP Basic auth from `wsAuth`; a handshake that does not finish in time
 * fails. Text and binary frames come up as typed events; frames out are dropped (and counted) while the
 * peer is not reading, so a stalled app never grows the server's memory. close() is idempotent.
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

export class AudioSocket extends TypedEmitter<AudioSocketEvents> {
  readonly #ws: WebSocket;
  readonly #log: Logger;
  readonly #maxBuffered: number;
  readonly opened: Promise<{ ok: true; protocol: string } | { ok: false; error: string }>;
  #closed = false;
  /** Audio frames dropped because the peer was not reading. */
  dropped = 0;

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
    this.#ws.send(JSON.stringify(value));
  }

  /** Sends an audio frame; dropped while more than the limit waits to be sent. */
  sendAudio(bytes: Buffer): void {
    if (!this.isOpen) return;
    if (this.#ws.bufferedAmount > this.#maxBuffered) {
      if (this.dropped++ === 0) this.#log.warn({ buffered: this.#ws.bufferedAmount }, 'audio socket peer is not reading: dropping audio');
      return;
    }
    this.#ws.send(bytes, { binary: true });
  }

  /** Closes the socket (1000 unless told); idempotent. */
  close(code = 1000, reason = ''): void {
    if (this.#closed) return;
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
