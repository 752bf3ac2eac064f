/**
 * The text-to-speech contract: a provider turns text (plain or SSML) with a vendor / language / voice
 * into mono 16-bit PCM at a rate it names. Callers play it by pushing the samples into the media layer's
 * TtsStreamSource (any rate; it resamples) or by playing a cached WAV file (see TtsCache), and use
 * resamplePcm when they need the call's rate themselves.
 */
import { TtsStreamSource } from '../media/index.ts';

export interface SynthesisRequest {
  /** Plain text or SSML (`<speak>...</speak>`); text-only engines speak SSML's words. */
  text: string;
  /** Vendor name as the application wrote it (`default` / empty = the provider's own). */
  vendor?: string;
  /** BCP 47 language (`en-US`). */
  language?: string;
  /** Engine-specific voice name. */
  voice?: string;
  /** Bypass the cache (jambonz `disableTtsCache`). */
  disableCache?: boolean;
}

export interface SynthesizedSpeech {
  /** Mono 16-bit samples. */
  pcm: Int16Array;
  sampleRate: number;
  durationMs: number;
  vendor: string;
  language: string;
  voice: string;
  /** Characters sent to the engine (after SSML stripping for text-only engines). */
  characters: number;
  servedFromCache: boolean;
  /** Wall time the engine took (0 when served from the cache). */
  elapsedMs: number;
}

export interface TtsProvider {
  /** The vendor name this provider answers for (`espeak-ng` for the offline engine). */
  readonly vendor: string;
  /** Rejects with a SpeechError (SPEECH_REQUEST, SPEECH_UNAVAILABLE, SPEECH_TTS_FAILED, SPEECH_CLOSED). */
  synthesize(request: SynthesisRequest): Promise<SynthesizedSpeech>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** `pcm` at `fromRate` converted to `toRate` (the media layer's resampler, group delay removed). */
export function resamplePcm(pcm: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate || pcm.length === 0) return pcm.slice();
  const src = new TtsStreamSource({ sampleRate: toRate });
  src.push(pcm, fromRate);
  src.end();
  const expected = Math.round((pcm.length * toRate) / fromRate);
  const out = new Int16Array(expected);
  const frame = new Int16Array(Math.max(1, Math.round(toRate / 50)));
  let got = 0;
  for (let guard = 0; guard < expected / frame.length + 4 && got < expected; guard++) {
    const n = src.read(frame);
    if (n === 0) break;
    const k = Math.min(n, expected - got);
    out.set(frame.subarray(0, k), got);
    got += k;
  }
  src.close();
  return got === expected ? out : out.subarray(0, got);
}

/** The same speech at another rate (returned as is when the rate already matches). */
export function speechAtRate(speech: SynthesizedSpeech, sampleRate: number): SynthesizedSpeech {
  if (speech.sampleRate === sampleRate) return speech;
  return { ...speech, pcm: resamplePcm(speech.pcm, speech.sampleRate, sampleRate), sampleRate };
}
