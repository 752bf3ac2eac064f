/** The media room: RTP engine, media clock, jitter buffer, mixer, codecs, DTMF, resampling (knows nothing of SIP). */
export * from './rtp/index.ts';
export * from './media-clock.ts';
export * from './jitter-buffer.ts';
export * from './mixer.ts';
export * from './codecs/index.ts';
export * from './dtmf/index.ts';
export * from './resample/index.ts';
export * from './sources/index.ts';
export * from './sinks/index.ts';
export * from './session/index.ts';
export * from './worker/index.ts';
export * from './media-runtime.ts';
