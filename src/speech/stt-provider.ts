/**
 * The speech-to-text contract: a provider opens recognition sessions; a session takes streaming mono
 * 16-bit PCM at the rate given at start and reports voice activity, partial (interim) and final
 * transcripts as typed events. The result shape carries what the jambonz `speech` object needs
 * (alternatives with transcript and confidence, language, final flag, vendor name and raw event).
 */
import type { Listener } from '../lib/index.ts';

export interface RecognitionOptions {
  /** Rate of the PCM that write() receives. */
  sampleRate: number;
  /** BCP 47 language (`en-US`). */
  language?: string;
  /** Report partial transcripts (jambonz `recognizer.interim`). */
  interim?: boolean;
  /** Phrases to favour. */
  hints?: string[];
  /** Stop after the first final transcript (jambonz `singleUtterance`, default true). */
  singleUtterance?: boolean;
}

export interface RecognitionAlternative {
  transcript: string;
  confidence: number;
}

export interface RecognitionResult {
  isFinal: boolean;
  alternatives: RecognitionAlternative[];
  language: string;
  vendor: string;
  /** The vendor's raw event, passed to the app as `speech.vendor.evt`. */
  raw?: unknown;
}

export interface RecognitionEvents {
  /** Voice activity started (for barge-in). */
  speechStart: { atMs: number };
  partial: RecognitionResult;
  final: RecognitionResult;
  error: Error;
  /** The session ended (after end(), a final transcript in single-utterance mode, close or an error). */
  end: { reason: 'final' | 'ended' | 'closed' | 'error' };
}

export interface RecognitionSession {
  /** Feeds audio; ignored after the session ended. Never throws. */
  write(pcm: Int16Array): void;
  /** No more audio: a pending utterance is finalized, then `end`. */
  end(): void;
  on<K extends keyof RecognitionEvents>(event: K, listener: Listener<RecognitionEvents[K]>): () => void;
  /** Idempotent; emits `end` with reason `closed` if it had not ended. */
  close(): void;
}

export interface SttProvider {
  readonly vendor: string;
  /** Throws a SpeechError (SPEECH_REQUEST, SPEECH_UNAVAILABLE) when a session cannot start. */
  start(options: RecognitionOptions): RecognitionSession;
  close(): Promise<void>;
}
