/**
 * A caching TTS provider: wraps another provider and keeps synthesized audio in memory, keyed by
 * vendor / language / voice / text, bounded in bytes (least recently used first out). Identical requests
 * in flight share one synthesis. With `dir`, `file()` also writes the audio as a 16-bit WAV (named by a
 * hash of the key) so the media layer can play it by path, resampled to the call's rate.
 */
import { createHash } from 'node:crypto';
import { mkdir, stat, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { SpeechError } from './speech-error.ts';
import type { SynthesisRequest, SynthesizedSpeech, TtsProvider } from './tts-provider.ts';
import { encodeWav } from './wav.ts';

export interface TtsCacheOptions {
  /** Largest total of cached samples in bytes (default 64 MiB). */
  maxBytes?: number;
  /** Directory for WAV files served by file(). */
  dir?: string;
}

export interface CachedFile {
  path: string;
  speech: SynthesizedSpeech;
}

export const DEFAULT_TTS_CACHE_BYTES = 64 * 1024 * 1024;

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
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #closed = false;

  constructor(inner: TtsProvider, opts: TtsCacheOptions = {}) {
    this.#inner = inner;
    this.vendor = inner.vendor;
    this.#maxBytes = opts.maxBytes ?? DEFAULT_TTS_CACHE_BYTES;
    this.#dir = opts.dir;
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

  /** The speech as a WAV file in the cache directory (written once; reused while it exists). */
  async file(request: SynthesisRequest): Promise<CachedFile> {
    if (!this.#dir) throw new SpeechError('SPEECH_REQUEST', 'TTS cache has no directory for files');
    const speech = await this.synthesize(request);
    const name = createHash('sha256').update(ttsCacheKey(this.vendor, request)).digest('hex').slice(0, 32);
    const path = join(this.#dir, `${name}.wav`);
    const exists = await stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!exists || request.disableCache) {
      await mkdir(this.#dir, { recursive: true });
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, encodeWav(speech.pcm, speech.sampleRate));
      await rename(tmp, path);
    }
    return { path, speech };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#entries.clear();
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
