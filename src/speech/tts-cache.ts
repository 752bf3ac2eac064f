/**
 * A caching TTS provider: wraps another provider and keeps synthesized audio in memory, keyed by
 * vendor / language / voice / text, bounded in bytes (least recently used first out). Identical requests
 * in flight share one synthesis. With `dir`, `file()` also writes the audio as 16-bit WAVs (named by a
 * hash of the key): one at the engine's rate and, already resampled, one per rate calls use (8 and
 * 16 kHz unless configured; any other rate the first time it is asked for), so a call plays the file
 * at its own rate and playback needs no resampling. Files written by this process are remembered, so a
 * warm request costs no file system access.
 */
import { createHash } from 'node:crypto';
import { mkdir, stat, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { SpeechError } from './speech-error.ts';
import type { SynthesisRequest, SynthesizedSpeech, TtsProvider } from './tts-provider.ts';
import { resamplePcm } from './tts-provider.ts';
import { encodeWav } from './wav.ts';

export interface TtsCacheOptions {
  /** Largest total of cached samples in bytes (default 64 MiB). */
  maxBytes?: number;
  /** Directory for WAV files served by file(). */
  dir?: string;
  /** Rates whose files file() writes along with the first one of a text (default 8000 and 16000). */
  fileRates?: readonly number[];
}

export interface CachedFileOptions {
  /** Rate of the file wanted (the call's rate, 8000-48000); default: the engine's own rate. */
  sampleRate?: number;
}

export interface CachedFile {
  path: string;
  /** Rate of the audio in the file. */
  sampleRate: number;
  /** The speech as synthesized (at the engine's rate). */
  speech: SynthesizedSpeech;
}

export const DEFAULT_TTS_CACHE_BYTES = 64 * 1024 * 1024;
/** Rates most calls use (G.711 and wideband codecs): their files are written ahead. */
export const DEFAULT_TTS_FILE_RATES: readonly number[] = [8000, 16000];
/** Bound on the remembered file paths (the files themselves stay on disk). */
const MAX_KNOWN_FILES = 16384;

function isUsableRate(rate: number | undefined): rate is number {
  return rate !== undefined && Number.isInteger(rate) && rate >= 8000 && rate <= 48000;
}

/** The cache key of a request as served by `vendor`. */
export function ttsCacheKey(vendor: string, request: SynthesisRequest): string {
  return [vendor, request.language ?? '', request.voice ?? '', request.text].join('\u0000');
}

export class TtsCache implements TtsProvider {
  readonly vendor: string;
  readonly #inner: TtsProvider;
  readonly #maxBytes: number;
  readonly #dir: string | undefined;
  readonly #entries = new Map<string, SynthesizedSpeech>();
  readonly #inflight = new Map<string, Promise<SynthesizedSpeech>>();
  readonly #fileRates: readonly number[];
  /** Files known to hold a key's audio at a rate (`<key>\u0000<rate>` -> path). */
  readonly #files = new Map<string, string>();
  /** File writes in progress, shared by identical requests. */
  readonly #writing = new Map<string, Promise<string>>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #closed = false;

  constructor(inner: TtsProvider, opts: TtsCacheOptions = {}) {
    this.#inner = inner;
    this.vendor = inner.vendor;
    this.#maxBytes = opts.maxBytes ?? DEFAULT_TTS_CACHE_BYTES;
    this.#dir = opts.dir;
    this.#fileRates = (opts.fileRates ?? DEFAULT_TTS_FILE_RATES).filter(isUsableRate);
  }

  get stats(): { entries: number; bytes: number; hits: number; misses: number } {
    return { entries: this.#entries.size, bytes: this.#bytes, hits: this.#hits, misses: this.#misses };
  }

  async synthesize(request: SynthesisRequest): Promise<SynthesizedSpeech> {
    if (this.#closed) throw new SpeechError('SPEECH_CLOSED', 'TTS cache closed');
    if (request.disableCache) return this.#inner.synthesize(request);
    const key = ttsCacheKey(this.vendor, request);
    const hit = this.#entries.get(key);
    if (hit) {
      this.#hits++;
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return { ...hit, servedFromCache: true, elapsedMs: 0 };
    }
    const pending = this.#inflight.get(key);
    if (pending) {
      this.#hits++;
      return { ...(await pending), servedFromCache: true, elapsedMs: 0 };
    }
    this.#misses++;
    const p = this.#inner.synthesize(request);
    this.#inflight.set(key, p);
    try {
      const speech = await p;
      this.#store(key, speech);
      return speech;
    } finally {
      this.#inflight.delete(key);
    }
  }

  /**
   * The speech as a WAV file in the cache directory at `sampleRate` (default: the engine's rate),
   * written once (with the files of the configured rates) and reused while this process runs.
   */
  async file(request: SynthesisRequest, options: CachedFileOptions = {}): Promise<CachedFile> {
    const dir = this.#dir;
    if (!dir) throw new SpeechError('SPEECH_REQUEST', 'TTS cache has no directory for files');
    const speech = await this.synthesize(request);
    const rate = isUsableRate(options.sampleRate) ? options.sampleRate : speech.sampleRate;
    const key = ttsCacheKey(this.vendor, request);
    if (request.disableCache) {
      return { path: await this.#write(dir, key, speech, rate, true), sampleRate: rate, speech };
    }
    const known = this.#files.get(`${key}\u0000${rate}`);
    if (known !== undefined) return { path: known, sampleRate: rate, speech };
    const path = await this.#ensure(dir, key, speech, rate);
    // The rates calls commonly use are written ahead, so later calls at those rates find their file.
    for (const other of this.#fileRates) {
      if (other !== rate && !this.#files.has(`${key}\u0000${other}`)) await this.#ensure(dir, key, speech, other);
    }
    return { path, sampleRate: rate, speech };
  }

  /** The file of `key` at `rate`: remembered, found on disk, or written (one write per file at a time). */
  async #ensure(dir: string, key: string, speech: SynthesizedSpeech, rate: number): Promise<string> {
    const id = `${key}\u0000${rate}`;
    const pending = this.#writing.get(id);
    if (pending) return pending;
    const p = this.#write(dir, key, speech, rate, false);
    this.#writing.set(id, p);
    try {
      const path = await p;
      if (this.#files.size >= MAX_KNOWN_FILES) {
        const oldest = this.#files.keys().next();
        if (!oldest.done) this.#files.delete(oldest.value);
      }
      this.#files.set(id, path);
      return path;
    } finally {
      this.#writing.delete(id);
    }
  }

  async #write(dir: string, key: string, speech: SynthesizedSpeech, rate: number, force: boolean): Promise<string> {
    const name = createHash('sha256').update(key).digest('hex').slice(0, 32);
    const path = join(dir, rate === speech.sampleRate ? `${name}.wav` : `${name}-${rate}.wav`);
    const exists = !force && (await stat(path).then(
      (s) => s.isFile(),
      () => false,
    ));
    if (!exists) {
      await mkdir(dir, { recursive: true });
      const tmp = `${path}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}.tmp`;
      const pcm = rate === speech.sampleRate ? speech.pcm : resamplePcm(speech.pcm, speech.sampleRate, rate);
      await writeFile(tmp, encodeWav(pcm, rate));
      await rename(tmp, path);
    }
    return path;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#entries.clear();
    this.#files.clear();
    this.#bytes = 0;
    await this.#inner.close();
  }

  #store(key: string, speech: SynthesizedSpeech): void {
    const size = speech.pcm.byteLength;
    if (size > this.#maxBytes) return;
    this.#entries.set(key, speech);
    this.#bytes += size;
    for (const [k, v] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(k);
      this.#bytes -= v.pcm.byteLength;
    }
  }
}
