/**
 * Public API of the media sinks: the AudioSink contract, the WAV recorder (RIFF/WAVE 16-bit PCM, mono or
 * one party per stereo channel), the tap that hands call audio to a callback (listen / stream, speech
 * recognition), a tee to several sinks, and the channel pairing they share.
 */
export type { AudioSink, SinkChannel } from './audio-sink.ts';
export { checkSinkRate } from './audio-sink.ts';
export type { SinkErrorCode } from './sink-error.ts';
export { SinkError } from './sink-error.ts';
export type { WavHeaderFields } from './wav-header.ts';
export { WAV_HEADER_BYTES, encodeWav, wavHeader } from './wav-header.ts';
export type { PairHandler } from './channel-pairer.ts';
export { ChannelPairer, mixSaturate } from './channel-pairer.ts';
export type { MonoSource, WavRecorderOptions } from './wav-recorder.ts';
export { WavRecorder, createWavRecorder } from './wav-recorder.ts';
export type { AudioTapOptions, TapFrameInfo, TapMode } from './audio-tap.ts';
export { AudioTap } from './audio-tap.ts';
export { TeeSink } from './tee-sink.ts';
export type { SinkLimit, SinkLimits } from './limited-sink.ts';
export { LimitedSink } from './limited-sink.ts';
export { ChunkSink, type ChunkSinkOptions } from './chunk-sink.ts';
