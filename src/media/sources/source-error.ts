/**
 * Typed errors of the media sources (players): unusable spec strings and options, files that are
 * missing or not in a supported format (RIFF/WAVE, RFC 2361 format tags, MPEG audio), failed downloads
 * and failed TTS streams. A source that fails while playing keeps the error in `source.error` and ends;
 * it never throws from read().
 */
import { SwitchboardError } from '../../lib/index.ts';

export type SourceErrorCode =
  /** The spec string cannot be parsed (unknown scheme, bad tone_stream script, bad silence length). */
  | 'MEDIA_SOURCE_SPEC'
  /** Unusable options (sample rate, loop count, cache size). */
  | 'MEDIA_SOURCE_OPTIONS'
  /** The file does not exist, or the server answered 404 / 410. */
  | 'MEDIA_SOURCE_NOT_FOUND'
  /** The file cannot be read (permissions, a directory, an I/O error). */
  | 'MEDIA_SOURCE_IO'
  /** The content is not in a supported format (not RIFF/WAVE or MPEG audio, unknown format tag or sample size). */
  | 'MEDIA_SOURCE_FORMAT'
  /** The content claims a supported format but is malformed (truncated header, missing chunk, bogus sizes). */
  | 'MEDIA_SOURCE_CORRUPT'
  /** A download failed: network error, timeout, or an HTTP status other than 2xx, 304 and 404/410. */
  | 'MEDIA_SOURCE_FETCH'
  /** A download is larger than the configured maximum. */
  | 'MEDIA_SOURCE_TOO_LARGE'
  /** The decoder library for the format (MP3: `mpg123-decoder`) is not installed. */
  | 'MEDIA_SOURCE_UNAVAILABLE'
  /** The TTS provider feeding a stream reported a failure. */
  | 'MEDIA_SOURCE_TTS'
  /** The source was closed before it became ready. */
  | 'MEDIA_SOURCE_CLOSED';

export class SourceError extends SwitchboardError {
  declare readonly code: SourceErrorCode;

  constructor(code: SourceErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
