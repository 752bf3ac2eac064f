/**
 * The recorder / tap contract: frames of mono 16-bit PCM pushed by the media clock, one call per channel
 * per tick. write() is synchronous and cheap (I/O is buffered and flushed asynchronously); close() flushes
 * and finalizes.
 */
import { SinkError } from './sink-error.ts';

/** 0 = left / caller / "read" direction, 1 = right / callee / "write" direction. */
export type SinkChannel = 0 | 1;

export interface AudioSink {
  readonly sampleRate: number;
  /** One frame of PCM for a channel; mono sinks mix or take one channel as configured. */
  write(frame: Int16Array, channel?: SinkChannel): void;
  /** Flushes and finalizes (WAV header sizes). Idempotent; never rejects (failures are in `error`). */
  close(): Promise<void>;
}

/** Checks a sink rate (8 kHz .. 48 kHz, whole Hz). */
export function checkSinkRate(rate: number): number {
  if (!Number.isInteger(rate) || rate < 8000 || rate > 48000) {
    throw new SinkError('MEDIA_SINK_OPTIONS', `unsupported sink sample rate ${rate}`);
  }
  return rate;
}
