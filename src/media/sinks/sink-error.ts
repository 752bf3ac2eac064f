/**
 * Typed errors of the media sinks (recorders, taps). A sink never throws from write() once it is
 * running: I/O failures after start land in `error` and the onError callback, and later audio is dropped.
 */
import { SwitchboardError } from '../../lib/index.ts';

export type SinkErrorCode =
  /** Unusable options: sample rate, channel count, mode, chunk length, limits. */
  | 'MEDIA_SINK_OPTIONS'
  /** The recording file cannot be created or written, or the writes fell too far behind. */
  | 'MEDIA_SINK_IO';

export class SinkError extends SwitchboardError {
  declare readonly code: SinkErrorCode;

  constructor(code: SinkErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
