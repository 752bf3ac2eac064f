/**
 * The jambonz-compatible call runtime (specs/jambonz.md §1.3-1.8, §2.3-2.5, §3): call
 * sessions running verb stacks, application commands, live call control and REST-created calls.
 * `createSessionManager` is the SessionManager of contract.ts; requestors, validation and speech engines
 * are injected.
 */
import type { SessionManager } from '../contract.ts';
import { JambonzSessionManager, type SessionManagerOptions } from './session-manager.ts';

export function createSessionManager(options: SessionManagerOptions): SessionManager & JambonzSessionManager {
  return new JambonzSessionManager(options);
}

export { JambonzSessionManager, type SessionManagerOptions } from './session-manager.ts';
export type { CallSession } from './call-session.ts';
export { CallInfo, type CallStatus } from './call-info.ts';
export { RuntimeError, type RuntimeErrorCode } from './runtime-error.ts';
export { basicValidate, normalizeVerb, type ValidateVerbs, type ValidationResult, type VerbData } from './verb-data.ts';
export { snakeCaseKeys } from './snake-case.ts';
export type {
  RecognitionListener, RecognitionStream, Recognizer, RecognizerSettings, SpeechResult, SynthesisResult, Synthesizer, SynthesizerSettings,
} from './speech.ts';
export type { PhoneTarget } from './create-call.ts';
export { synthesizerFrom, type TtsFileSource } from './speech-adapters.ts';
export { RECOGNITION_SAMPLE_RATE, recognizerFrom, speechResultOf, type SttProviderLike, type SttResultLike, type SttSessionLike } from './tap-recognizer.ts';
export { carrierDirectory, type CarrierConfig, type CarrierDirectory, type CarrierRoute } from './dial/carrier-directory.ts';
export { RECORDINGS_DIR, recordingCatalog, type RecordingCatalog, type RecordingMeta } from './recording/index.ts';
