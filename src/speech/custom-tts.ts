/**
 * The jambonz "custom" speech vendor, text-to-speech side (the non-streaming HTTP API of jambonz's custom
 * TTS providers): POST `{language, voice, type: 'text'|'ssml', text}` as JSON with `Authorization:
 * Bearer <apiKey>`; a 200 reply carries the audio, typed by Content-Type: `audio/wav` (`audio/x-wav`,
 * `audio/wave`), `audio/mpeg` (`audio/mp3`, decoded by the media layer when its MP3 decoder is
 * installed), or raw 16-bit little-endian PCM as `audio/l16` / `audio/pcm` with `;rate=N` (8000 unless
 * given). Any other status or type is SPEECH_TTS_FAILED.
 */
import type { Clock } from '../lib/index.ts';
import { systemClock } from '../lib/index.ts';
import { decodeMp3 } from '../media/index.ts';
import { SpeechError } from './speech-error.ts';
import { isSsml, ssmlToText } from './ssml.ts';
import type { SynthesisRequest, SynthesizedSpeech, TtsProvider } from './tts-provider.ts';
import { decodeWav } from './wav.ts';

export interface CustomTtsOptions {
  url: string;
  apiKey?: string;
  /** Vendor name reported (default `custom`; jambonz labels use `custom:<label>`). */
  vendor?: string;
  /** Request timeout (default 10 s). */
  timeoutMs?: number;
  /** Largest audio reply (default 20 MiB). */
  maxBytes?: number;
  clock?: Clock;
}

export const CUSTOM_VENDOR = 'custom';

/** Mono 16-bit PCM of a reply body by its Content-Type. */
export async function decodeSpeechBody(contentType: string, body: Uint8Array): Promise<{ pcm: Int16Array; sampleRate: number }> {
  const type = contentType.toLowerCase();
  const mime = type.split(';')[0]!.trim();
  if (mime === 'audio/wav' || mime === 'audio/x-wav' || mime === 'audio/wave') return decodeWav(body);
  if (mime === 'audio/mpeg' || mime === 'audio/mp3') {
    const d = await decodeMp3(body);
    return { pcm: d.samples, sampleRate: d.sampleRate };
  }
  if (mime === 'audio/l16' || mime === 'audio/pcm' || mime === 'audio/raw') {
    const rate = Number(/rate\s*=\s*(\d+)/.exec(type)?.[1] ?? 8000);
    const pcm = new Int16Array(Math.floor(body.length / 2));
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    for (let i = 0; i < pcm.length; i++) pcm[i] = view.getInt16(i * 2, true);
    return { pcm, sampleRate: rate };
  }
  throw new SpeechError('SPEECH_TTS_FAILED', `custom TTS answered unsupported audio type "${contentType}"`);
}

export class CustomTtsProvider implements TtsProvider {
  readonly vendor: string;
  readonly #opts: CustomTtsOptions;
  readonly #clock: Clock;
  readonly #inflight = new Set<AbortController>();
  #closed = false;

  constructor(opts: CustomTtsOptions) {
    this.#opts = opts;
    this.vendor = opts.vendor ?? CUSTOM_VENDOR;
    this.#clock = opts.clock ?? systemClock;
  }

  async synthesize(request: SynthesisRequest): Promise<SynthesizedSpeech> {
    if (this.#closed) throw new SpeechError('SPEECH_CLOSED', 'custom TTS provider closed');
    const ssml = isSsml(request.text);
    const body = JSON.stringify({
      language: request.language ?? 'en-US',
      voice: request.voice ?? '',
      type: ssml ? 'ssml' : 'text',
      text: request.text,
    });
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this.#opts.apiKey) headers['Authorization'] = `Bearer ${this.#opts.apiKey}`;
    const controller = new AbortController();
    let timedOut = false;
    const timeoutMs = this.#opts.timeoutMs ?? 10_000;
    const timer = this.#clock.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    this.#inflight.add(controller);
    const started = performance.now();
    try {
      const res = await fetch(this.#opts.url, { method: 'POST', headers, body, signal: controller.signal });
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => {});
        throw new SpeechError('SPEECH_TTS_FAILED', `custom TTS ${this.#opts.url} answered ${res.status}`);
      }
      const bytes = new Uint8Array(await res.arrayBuffer());
      const max = this.#opts.maxBytes ?? 20 * 1024 * 1024;
      if (bytes.length > max) throw new SpeechError('SPEECH_TTS_FAILED', `custom TTS audio of ${bytes.length} bytes is over ${max}`);
      const audio = await decodeSpeechBody(res.headers.get('content-type') ?? '', bytes);
      return {
        pcm: audio.pcm,
        sampleRate: audio.sampleRate,
        durationMs: (audio.pcm.length * 1000) / audio.sampleRate,
        vendor: this.vendor,
        language: request.language ?? 'en-US',
        voice: request.voice ?? '',
        characters: ssml ? ssmlToText(request.text).length : request.text.length,
        servedFromCache: false,
        elapsedMs: performance.now() - started,
      };
    } catch (err) {
      if (err instanceof SpeechError) throw err;
      const why = timedOut ? `no answer in ${timeoutMs} ms` : this.#closed ? 'closed' : (err as Error).message;
      throw new SpeechError(this.#closed ? 'SPEECH_CLOSED' : 'SPEECH_TTS_FAILED', `custom TTS ${this.#opts.url}: ${why}`, { cause: err });
    } finally {
      timer.cancel();
      this.#inflight.delete(controller);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const c of this.#inflight) c.abort();
    this.#inflight.clear();
  }
}
