/**
 * Public API of the resampler: streaming polyphase sample-rate conversion between telephony, wideband
 * and fullband rates (8000, 16000, 48000 Hz, and from 44100 Hz files).
 */
export type { ResamplerOptions } from './resampler.ts';
export { Resampler, createResampler } from './resampler.ts';
export type { PolyphaseFilter, ResamplerQuality } from './fir-design.ts';
export { designPolyphase, polyphaseFilter } from './fir-design.ts';
export type { ResampleErrorCode } from './resample-error.ts';
export { ResampleError } from './resample-error.ts';
