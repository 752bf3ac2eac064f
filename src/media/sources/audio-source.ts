/**
 * The player contract: a source of mono 16-bit PCM frames pulled by the media clock once per tick.
 * read() runs inside the synchronous tick, so it never awaits and allocates nothing in steady state;
 * a source whose data is not there yet writes silence, one that failed ends with `error` set.
 */
import { SourceError } from './source-error.ts';

export interface AudioSource {
  /** The rate of the frames it produces (8000, 16000 or 48000 typically); the caller asks for one. */
  readonly sampleRate: number;
  /**
   * Fills `out` (one frame: sampleRate / 50 samples for 20 ms) and returns the samples written; 0 =
   * ended. Never blocks: a source whose data is not ready yet writes silence and returns out.length,
   * unless it failed (then 0 and `error` is set). The last frame may be partial (the rest is zeroed).
   */
  read(out: Int16Array): number;
  readonly ended: boolean;
  readonly error?: Error;
  /** Moves to `ms` from the start of the media (play's seekOffset). */
  seek?(ms: number): void;
  /** Playback position in ms from the start of the media (within the current loop). */
  readonly positionMs: number;
  /** Stops the source; read() returns 0 afterwards. Idempotent. */
  close(): void;
}

/** Loop count of a player: plays in total; 'forever' (or 0, or -1) repeats until closed. */
export type LoopCount = number | 'forever';

/** The number of plays for a loop option: a positive integer, or Infinity. */
export function normalizeLoop(loop: LoopCount | undefined): number {
  if (loop === undefined) return 1;
  if (loop === 'forever' || loop === 0 || loop === -1 || loop === Infinity) return Infinity;
  if (!Number.isInteger(loop) || loop < 0) {
    throw new SourceError('MEDIA_SOURCE_OPTIONS', `loop must be a positive integer or "forever", not ${String(loop)}`);
  }
  return loop;
}

/** Checks a requested output rate (the resampler's range: 1 kHz .. 192 kHz). */
export function checkSampleRate(rate: number): number {
  if (!Number.isInteger(rate) || rate < 1000 || rate > 192000) {
    throw new SourceError('MEDIA_SOURCE_OPTIONS', `unsupported sample rate ${rate}`);
  }
  return rate;
}

/** Samples in `ms` milliseconds at `rate`, rounded to the nearest sample. */
export function msToSamples(ms: number, rate: number): number {
  return Math.round((ms * rate) / 1000);
}
