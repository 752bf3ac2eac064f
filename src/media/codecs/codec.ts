/**
 * The codec contract of the media engine. A codec turns one ptime's worth of 16-bit PCM into one RTP
 * payload and back (RFC 3550 section 5.1 for payload type and timestamp, RFC 3551 section 4.5 for the
 * audio encodings and their clock rates).
 *
 * Codecs are instances, one per stream and direction pair, because some keep state between frames
 * (G.722 ADPCM predictors, Opus). encode() and decode() never allocate: callers pass reusable buffers
 * and get back how much was written.
 */
import { CodecError } from './codec-error.ts';

export interface Codec {
  readonly kind: 'audio';
  /** Canonical SDP encoding name (RFC 4566 rtpmap), e.g. "PCMU", "G722", "opus". */
  readonly name: string;
  /** The payload type this instance was created for (the static one of RFC 3551 unless overridden). */
  readonly payloadType: number;
  /** RTP timestamp clock rate (8000 for G.722, RFC 3551 section 4.5.2; 48000 for Opus, RFC 7587). */
  readonly clockRate: number;
  /** Sample rate of the PCM side of encode() / decode(). */
  readonly sampleRate: number;
  /** Interleaved PCM channels. */
  readonly channels: number;
  /** Packetization time in milliseconds this instance was created for. */
  readonly ptime: number;
  /** PCM samples per channel in one ptime frame. */
  readonly samplesPerFrame: number;
  /** RTP timestamp units per ptime frame. */
  readonly timestampIncrement: number;
  /** An upper bound of encode()'s output for one ptime frame. */
  readonly maxPayloadBytes: number;
  /** PCM samples per channel for a frame of `ptimeMs` milliseconds. */
  frameSize(ptimeMs: number): number;
  /** Encodes all of `pcm` (interleaved) into `out`; returns the bytes written. */
  encode(pcm: Int16Array, out: Uint8Array): number;
  /** Decodes one payload into `out` (interleaved); returns the samples written (all channels). */
  decode(payload: Uint8Array, out: Int16Array): number;
  /** Forgets the state carried between frames (predictors, filter history). */
  reset(): void;
  /** Releases what the codec holds (the Opus WASM state); idempotent. */
  close(): void;
}

/** Options of a codec instance; the SDP rtpmap/fmtp of the negotiated format fills them. */
export interface CodecOptions {
  /** Negotiated payload type; defaults to the codec's static or conventional one. */
  payloadType?: number;
  /** Packetization time in ms (a=ptime); 20 unless given. */
  ptime?: number;
  /** PCM sample rate: L16's rtpmap rate (8000, 16000, 44100, 48000); Opus' decode/encode rate. */
  sampleRate?: number;
  /** Interleaved channels: L16 1 or 2; Opus PCM side 1 or 2. */
  channels?: number;
  /** Opus target bitrate in bit/s. */
  bitrate?: number;
  /** Opus encoder complexity 0-10 (CPU against quality); libopus' default (10) unless given. */
  complexity?: number;
  /** The fmtp parameters of the format, as name/value strings. */
  fmtp?: Readonly<Record<string, string>>;
}

export const DEFAULT_PTIME = 20;

/** Checks a ptime and returns how many samples per channel it spans at `sampleRate`. */
export function samplesForPtime(codecName: string, sampleRate: number, ptimeMs: number): number {
  const samples = (sampleRate * ptimeMs) / 1000;
  if (!Number.isFinite(ptimeMs) || ptimeMs <= 0 || ptimeMs > 200 || !Number.isInteger(samples)) {
    throw new CodecError('MEDIA_CODEC_OPTIONS', `${codecName}: unusable ptime ${ptimeMs} ms at ${sampleRate} Hz`);
  }
  return samples;
}

/** Checks a payload type (RFC 3550 section 5.1: 7 bits). */
export function checkPayloadType(codecName: string, pt: number): number {
  if (!Number.isInteger(pt) || pt < 0 || pt > 127) {
    throw new CodecError('MEDIA_CODEC_OPTIONS', `${codecName}: payload type ${pt} is not 0-127`);
  }
  return pt;
}

/** Throws MEDIA_CODEC_BUFFER when `have` < `need`. */
export function checkCapacity(codecName: string, what: string, need: number, have: number): void {
  if (have < need) {
    throw new CodecError('MEDIA_CODEC_BUFFER', `${codecName}: ${what} needs ${need} elements, buffer has ${have}`);
  }
}
