/**
 * Typed errors of the resampler: rate pairs it is not built for and undersized output buffers.
 */
import { SwitchboardError } from '../../lib/index.ts';

export type ResampleErrorCode =
  /** A sample rate or rate pair the resampler does not support. */
  | 'MEDIA_RESAMPLE_RATE'
  /** The caller's output buffer cannot hold the samples this input produces. */
  | 'MEDIA_RESAMPLE_BUFFER';

export class ResampleError extends SwitchboardError {
  declare readonly code: ResampleErrorCode;

  constructor(code: ResampleErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
