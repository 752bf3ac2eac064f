/**
 * What the runtime needs from speech engines, injected by the composition root: a
 * synthesizer that turns text into something the call's media can play, and a recognizer that listens
 * to a call and reports transcripts in the jambonz `speech` shape (specs/jambonz.md §2.4).
 */
import type { Channel, PlaySource } from '../../../core/index.ts';

export interface SynthesizerSettings {
  vendor?: string;
  language?: string;
  voice?: string;
  label?: string;
  [option: string]: unknown;
}

export interface RecognizerSettings {
  vendor?: string;
  language?: string;
  hints?: string[];
  interim?: boolean;
  [option: string]: unknown;
}

export interface SynthesisResult {
  /** Something channel.play() accepts (a WAV file path, a URL). */
  source: PlaySource;
  vendor: string;
  language?: string;
  servedFromCache?: boolean;
}

export interface Synthesizer {
  /** `sampleRate`: the call's audio rate, so the result can be played without resampling. */
  synthesize(text: string, settings: SynthesizerSettings, options?: { disableCache?: boolean; signal?: AbortSignal; sampleRate?: number }): Promise<SynthesisResult>;
}

/** A transcript in the jambonz shape: `{language_code, channel_tag, is_final, alternatives, vendor}`. */
export interface SpeechResult {
  language_code: string;
  channel_tag: number;
  is_final: boolean;
  alternatives: { confidence: number; transcript: string }[];
  vendor: { name: string; evt?: unknown };
}

export interface RecognitionListener {
  /** An interim or final transcript. */
  transcript(result: SpeechResult): void;
  /** The recognizer failed; no more transcripts follow. */
  error(message: string): void;
}

export interface RecognitionStream {
  /** Stops listening; idempotent. */
  close(): void;
}

export interface Recognizer {
  /** Starts listening to what the far end of the channel says. */
  start(channel: Channel, settings: RecognizerSettings, listener: RecognitionListener): RecognitionStream;
}
