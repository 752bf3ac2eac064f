/**
 * Typed errors of the per-leg media engine (media/session). The packet and tick paths never throw to
 * their callers; these errors come from commands: unusable configuration, a session that is closed or
 * busy, ids used twice, sources or sinks with a rate the resampler cannot convert.
 */
import { SwitchboardError } from '../../lib/index.ts';

export type MediaSessionErrorCode =
  /** The negotiated data cannot be used: unknown codec, ptime, payload type, rate, channels. */
  | 'MEDIA_SESSION_CONFIG'
  /** A command on a closed session, bridge or conference room. */
  | 'MEDIA_SESSION_CLOSED'
  /** The session is already in a bridge, a conference or echo (one at a time), or bridged to itself. */
  | 'MEDIA_SESSION_BUSY'
  /** Two sessions (or a session and a room) driven by different media clocks (threads). */
  | 'MEDIA_SESSION_CLOCK'
  /** A caller-chosen id (playback, recording, tap, member) is already in use. */
  | 'MEDIA_SESSION_ID'
  | 'MEDIA_SESSION_PORT'
  /** A media worker thread failed to start, or a command it ran failed (the original code is kept). */
  | 'MEDIA_WORKER'
  /** A source or sink whose sample rate cannot be converted to the session's. */
  | 'MEDIA_SESSION_FORMAT'
  /** Digits that cannot be sent as DTMF. */
  | 'MEDIA_SESSION_DTMF'
  /** A command names a session, bridge, room or member the host does not know. */
  | 'MEDIA_SESSION_NOT_FOUND'
  /** Not thrown: the code of an 'error' event when a tick step failed with an error that has no code. */
  | 'MEDIA_SESSION_TICK';

export class MediaSessionError extends SwitchboardError {
  declare readonly code: MediaSessionErrorCode;

  constructor(code: MediaSessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
