/**
 * Public API of the media sources (players): the AudioSource contract, openSource() for FreeSWITCH /
 * jambonz spec strings (files, http(s) URLs through a disk cache, tone_stream:// TGML, silence_stream://,
 * file_string://), WAV parsing (RIFF/WAVE, RFC 2361 tags), MP3 decoding, and the push-fed TTS stream.
 */
export type { AudioSource, LoopCount } from './audio-source.ts';
export { checkSampleRate, msToSamples, normalizeLoop } from './audio-source.ts';
export type { SourceErrorCode } from './source-error.ts';
export { SourceError } from './source-error.ts';
export type { PcmLayout, SampleEncoding, WavInfo } from './wav-format.ts';
export {
  WAVE_FORMAT_ALAW,
  WAVE_FORMAT_EXTENSIBLE,
  WAVE_FORMAT_IEEE_FLOAT,
  WAVE_FORMAT_MULAW,
  WAVE_FORMAT_PCM,
  isWav,
  parseWav,
} from './wav-format.ts';
export { PcmDecoder } from './pcm-decode.ts';
export type { PcmStore } from './pcm-store.ts';
export { EncodedStore, Int16Store } from './pcm-store.ts';
export type { DecodedAudio } from './mp3-decoder.ts';
export { decodeMp3, isMp3, isMp3Available } from './mp3-decoder.ts';
export type { AudioHints } from './audio-file.ts';
export { RAW_EXTENSIONS, extensionOf, loadAudio } from './audio-file.ts';
export type { RateConverter } from './rate-converter.ts';
export { createRateConverter } from './rate-converter.ts';
export type { PcmPlayerOptions } from './pcm-player.ts';
export { PcmPlayer } from './pcm-player.ts';
export type { TgmlScript, TgmlTone } from './tgml.ts';
export {
  TGML_DEFAULT_TONE_MS,
  TGML_DEFAULT_VOLUME_DB,
  TGML_DEFAULT_WAIT_MS,
  parseTgml,
  tgmlDurationMs,
} from './tgml.ts';
export type { ToneStreamOptions } from './tone-stream-source.ts';
export { ToneStreamSource } from './tone-stream-source.ts';
export type { SilenceOptions } from './silence-source.ts';
export { SilenceSource, parseSilenceSpec } from './silence-source.ts';
export type { TtsStreamOptions } from './tts-stream-source.ts';
export { TtsStreamSource } from './tts-stream-source.ts';
export { DeferredSource } from './deferred-source.ts';
export { ConcatSource } from './concat-source.ts';
export type { CachedAudio, UrlCacheOptions } from './url-cache.ts';
export { UrlCache, maxAgeOf } from './url-cache.ts';
export type { OpenSourceOptions } from './open-source.ts';
export { openFile, openSource, openUrl, sharedUrlCache } from './open-source.ts';
