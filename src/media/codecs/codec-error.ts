/**
 * Typed errors of the codec layer (RFC 3551 section 4 audio encodings, ITU-T G.711 / G.722, RFC 7587
 * Opus). Decoding bytes from the network never throws for G.711, L16 or G.722 (every octet is a valid
 * code); these errors are for unusable options, undersized caller buffers and a missing Opus library.
 */
import { SwitchboardError } from '../../lib/index.ts';

export type CodecErrorCode =
  /** No codec is registered under the SDP encoding name. */
  | 'MEDIA_CODEC_UNKNOWN'
  /** The options do not fit the codec (sample rate, channels, ptime, payload type, bitrate). */
  | 'MEDIA_CODEC_OPTIONS'
  /** The caller's output buffer is too small for the result. */
  | 'MEDIA_CODEC_BUFFER'
  /** The PCM frame length cannot be encoded (odd G.722 length, an Opus frame not 2.5-60 ms). */
  | 'MEDIA_CODEC_FRAME'
  /** The codec needs an npm module that is not installed (Opus: `opusscript`). */
  | 'MEDIA_CODEC_UNAVAILABLE'
  /** The codec library reported an error (a corrupt Opus packet, an internal failure). */
  | 'MEDIA_CODEC_FAILED'
  /** An audio operation was asked of a non-audio format (telephone-event). */
  | 'MEDIA_CODEC_NOT_AUDIO'
  /** The codec was used after close(). */
  | 'MEDIA_CODEC_CLOSED';

export class CodecError extends SwitchboardError {
  declare readonly code: CodecErrorCode;

  constructor(code: CodecErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
