/**
 * The jambonz "custom" speech vendor, speech-to-text side (jambonz's custom STT WebSocket API): one
 * WebSocket per recognition to the vendor URL with `Authorization: Bearer <apiKey>`; first a text frame
 * `{type:'start', language, format:'raw', encoding:'LINEAR16', sampleRateHz, interimResults, options?}`,
 * then the audio as binary frames of 16-bit little-endian PCM, then `{type:'stop'}`; the server answers
 * `{type:'transcription', is_final, alternatives:[{transcript, confidence}], channel?, language?}` and
 * `{type:'error', error}` text frames, and closes the socket after stop. Audio written before the socket
 * opens is buffered (bounded).
 */
import WebSocket from 'ws';
import type { Clock, Listener, Logger } from '../lib/index.ts';
import { TypedEmitter, silentLogger, systemClock } from '../lib/index.ts';
import { CUSTOM_VENDOR } from './custom-tts.ts';
import { SpeechError } from './speech-error.ts';
import type { RecognitionEvents, RecognitionOptions, RecognitionResult, RecognitionSession, SttProvider } from './stt-provider.ts';

export interface CustomSttOptions {
  url: string;
  apiKey?: string;
  vendor?: string;
  /** Vendor-specific options sent in the start message (recognizer.customOptions). */
  options?: Record<string, unknown>;
  /** How long to wait for the server to close after stop (default 5 s). */
  stopTimeoutMs?: number;
  /** Audio buffered while connecting, in bytes (default 1 MiB; older audio is dropped). */
  maxBufferedBytes?: number;
  clock?: Clock;
  log?: Logger;
}

type EventMap = { [K in keyof RecognitionEvents]: RecognitionEvents[K] };

export class CustomSttProvider implements SttProvider {
  readonly vendor: string;
  readonly #opts: CustomSttOptions;
  readonly #sessions = new Set<CustomSttSession>();
  #closed = false;

  constructor(opts: CustomSttOptions) {
    this.#opts = opts;
    this.vendor = opts.vendor ?? CUSTOM_VENDOR;
  }

  start(options: RecognitionOptions): RecognitionSession {
    if (this.#closed) throw new SpeechError('SPEECH_CLOSED', 'custom STT provider closed');
    if (!Number.isInteger(options.sampleRate) || options.sampleRate < 1000) {
      throw new SpeechError('SPEECH_REQUEST', `unusable sample rate ${options.sampleRate}`);
    }
    const s = new CustomSttSession(this.#opts, options, this.vendor, () => this.#sessions.delete(s));
    this.#sessions.add(s);
    return s;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const s of [...this.#sessions]) s.close();
  }
}

class CustomSttSession implements RecognitionSession {
  readonly #events = new TypedEmitter<EventMap>();
  readonly #opts: CustomSttOptions;
  readonly #language: string;
  readonly #vendor: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #onDone: () => void;
  readonly #ws: WebSocket;
  readonly #pending: Buffer[] = [];
  #pendingBytes = 0;
  #single: boolean;
  #singleDone = false;
  #stopping = false;
  #ended = false;
  #stopTimer: { cancel(): void } | undefined;

  constructor(opts: CustomSttOptions, options: RecognitionOptions, vendor: string, onDone: () => void) {
    this.#opts = opts;
    this.#language = options.language ?? 'en-US';
    this.#vendor = vendor;
    this.#single = options.singleUtterance ?? true;
    this.#clock = opts.clock ?? systemClock;
    this.#log = (opts.log ?? silentLogger()).child({ stt: vendor });
    this.#onDone = onDone;
    const headers: Record<string, string> = {};
    if (opts.apiKey) headers['Authorization'] = `Bearer ${opts.apiKey}`;
    this.#ws = new WebSocket(opts.url, { headers, handshakeTimeout: 5000, maxPayload: 1024 * 1024 });
    const start = {
      type: 'start',
      language: this.#language,
      format: 'raw',
      encoding: 'LINEAR16',
      sampleRateHz: options.sampleRate,
      interimResults: options.interim ?? false,
      ...(opts.options ? { options: opts.options } : {}),
    };
    this.#ws.on('open', () => {
      this.#ws.send(JSON.stringify(start));
      for (const b of this.#pending.splice(0)) this.#ws.send(b);
      this.#pendingBytes = 0;
      if (this.#stopping) this.#sendStop();
    });
    this.#ws.on('message', (data, isBinary) => {
      if (!isBinary) this.#onText(String(data));
    });
    this.#ws.on('error', (err) => {
      this.#log.info({ err: err.message }, 'custom STT socket error');
      if (!this.#ended) this.#events.emit('error', new SpeechError('SPEECH_STT_FAILED', `custom STT ${opts.url}: ${err.message}`, { cause: err }));
    });
    this.#ws.on('close', () => this.#finish(this.#stopping ? 'ended' : 'error'));
  }

  on<K extends keyof RecognitionEvents>(event: K, listener: Listener<RecognitionEvents[K]>): () => void {
    return this.#events.on(event, listener);
  }

  write(pcm: Int16Array): void {
    if (this.#ended || this.#stopping || pcm.length === 0) return;
    const buf = Buffer.alloc(pcm.length * 2);
    for (let i = 0; i < pcm.length; i++) buf.writeInt16LE(pcm[i]!, i * 2);
    if (this.#ws.readyState === WebSocket.OPEN) {
      this.#ws.send(buf);
      return;
    }
    this.#pending.push(buf);
    this.#pendingBytes += buf.length;
    const max = this.#opts.maxBufferedBytes ?? 1024 * 1024;
    while (this.#pendingBytes > max && this.#pending.length > 1) this.#pendingBytes -= this.#pending.shift()!.length;
  }

  end(): void {
    if (this.#ended || this.#stopping) return;
    this.#stopping = true;
    if (this.#ws.readyState === WebSocket.OPEN) this.#sendStop();
    this.#stopTimer = this.#clock.setTimeout(() => {
      this.#ws.terminate();
      this.#finish('ended');
    }, this.#opts.stopTimeoutMs ?? 5000);
  }

  close(): void {
    if (this.#ended) return;
    this.#finish('closed');
  }

  #sendStop(): void {
    this.#ws.send(JSON.stringify({ type: 'stop' }));
  }

  #onText(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.#log.warn('custom STT sent a frame that is not JSON');
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as Record<string, unknown>;
    if (m['type'] === 'error') {
      this.#events.emit('error', new SpeechError('SPEECH_STT_FAILED', `custom STT error: ${String(m['error'] ?? 'unknown')}`));
      return;
    }
    if (m['type'] !== 'transcription') return;
    const alternatives = Array.isArray(m['alternatives'])
      ? (m['alternatives'] as unknown[]).flatMap((a) => {
          if (typeof a !== 'object' || a === null) return [];
          const r = a as Record<string, unknown>;
          if (typeof r['transcript'] !== 'string') return [];
          return [{ transcript: r['transcript'], confidence: typeof r['confidence'] === 'number' ? r['confidence'] : 0 }];
        })
      : [];
    if (alternatives.length === 0) return;
    const result: RecognitionResult = {
      isFinal: m['is_final'] === true,
      alternatives,
      language: typeof m['language'] === 'string' ? m['language'] : this.#language,
      vendor: this.#vendor,
      raw: m,
    };
    this.#events.emit(result.isFinal ? 'final' : 'partial', result);
    if (result.isFinal && this.#single && !this.#singleDone) {
      this.#singleDone = true;
      this.end();
    }
  }

  #finish(reason: RecognitionEvents['end']['reason']): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#stopTimer?.cancel();
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.close(1000);
    else if (this.#ws.readyState === WebSocket.CONNECTING) this.#ws.terminate();
    this.#pending.length = 0;
    this.#events.emit('end', { reason: reason === 'ended' && this.#singleDone ? 'final' : reason });
    this.#events.removeAllListeners();
    this.#onDone();
  }
}
