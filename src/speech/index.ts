/**
 * Speech: text-to-speech and speech-to-text providers behind one interface each (may import lib/ and
 * media/ only).
 *
 * Contract:
 * - `TtsProvider.synthesize({text, vendor?, language?, voice?, disableCache?})` -> `SynthesizedSpeech`
 *   (mono 16-bit `pcm`, `sampleRate`, `durationMs`, `voice`, `characters`, `servedFromCache`,
 *   `elapsedMs`), or a SpeechError. Play it by pushing `pcm` at `sampleRate` into the media layer's
 *   `TtsStreamSource` (which resamples), or convert with `resamplePcm` / `speechAtRate`.
 * - `EspeakTtsProvider`: the offline default (npm `espeak-ng`, WebAssembly, 22.05 kHz, vendor
 *   `espeak-ng`); SSML is spoken as its words (`ssmlToText`). One synthesis at a time.
 * - `TtsCache`: wraps a provider; memory cache keyed by vendor/language/voice/text (LRU, bytes bounded),
 *   shared in-flight requests, and `file(request, {sampleRate?})` -> `{path, sampleRate, speech}`: a
 *   16-bit WAV in its directory at the call's rate (8 and 16 kHz files are written ahead, other rates on
 *   demand), so `channel.play(path)` needs no resampling.
 * - `SttProvider.start({sampleRate, language?, interim?, singleUtterance?})` -> `RecognitionSession`:
 *   `write(pcm)`, `end()`, `close()`; events `speechStart`, `partial`, `final`, `error`, `end`.
 * - `ScriptedRecognizer`: deterministic recognizer for tests; it reports the next scripted transcript
 *   after each stretch of voice activity.
 * - `CustomTtsProvider` / `CustomSttProvider`: the jambonz "custom" speech vendor protocol (HTTP POST
 *   TTS; WebSocket STT with start / binary LINEAR16 / stop and `transcription` replies), for any server
 *   that speaks it. Cloud vendors are missing (docs/speech.md).
 */
export type { SpeechErrorCode } from './speech-error.ts';
export { SpeechError } from './speech-error.ts';
export { isSsml, ssmlToText } from './ssml.ts';
export { decodeWav, encodeWav } from './wav.ts';
export type { SynthesisRequest, SynthesizedSpeech, TtsProvider } from './tts-provider.ts';
export { resamplePcm, speechAtRate } from './tts-provider.ts';
export type { CachedFile, CachedFileOptions, TtsCacheOptions } from './tts-cache.ts';
export { DEFAULT_TTS_CACHE_BYTES, DEFAULT_TTS_FILE_RATES, TtsCache, ttsCacheKey } from './tts-cache.ts';
export type { EspeakFactory, EspeakLoader, EspeakTtsOptions } from './espeak-tts.ts';
export { ESPEAK_SAMPLE_RATE, ESPEAK_VENDOR, EspeakTtsProvider, espeakVoices, loadEspeakPackage } from './espeak-tts.ts';
export type {
  RecognitionAlternative,
  RecognitionEvents,
  RecognitionOptions,
  RecognitionResult,
  RecognitionSession,
  SttProvider,
} from './stt-provider.ts';
export type { ScriptedRecognizerOptions } from './scripted-recognizer.ts';
export { SCRIPTED_VENDOR, ScriptedRecognizer } from './scripted-recognizer.ts';
export type { CustomTtsOptions } from './custom-tts.ts';
export { CUSTOM_VENDOR, CustomTtsProvider, decodeSpeechBody } from './custom-tts.ts';
export type { CustomSttOptions } from './custom-stt.ts';
export { CustomSttProvider } from './custom-stt.ts';
