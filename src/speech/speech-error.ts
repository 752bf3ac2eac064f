/**
 * Typed errors of the speech providers: synthesis and recognition failures, a missing engine, unusable
 * requests. A recognizer that hears nothing is a result (no transcript), not an error.
 */
import { SwitchboardError } from '../lib/index.ts';

export type SpeechErrorCode =
  /** The request cannot be served: empty text, a voice or language the engine cannot use, bad options. */
  | 'SPEECH_REQUEST'
  /** The engine (or its npm package) is not available on this machine, or the vendor is not configured. */
  | 'SPEECH_UNAVAILABLE'
  /** Synthesis failed inside the engine, or produced no audio. */
  | 'SPEECH_TTS_FAILED'
  /** Recognition failed (engine error, stream written after end). */
  | 'SPEECH_STT_FAILED'
  /** The provider or session was closed. */
  | 'SPEECH_CLOSED';

export class SpeechError extends SwitchboardError {
  declare readonly code: SpeechErrorCode;

  constructor(code: SpeechErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
