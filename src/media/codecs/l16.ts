/**
 * L16: uncompressed 16-bit linear PCM in network byte order (RFC 3551 section 4.5.11). The RTP clock
 * rate equals the sample rate; static payload types 10 (44100 Hz stereo) and 11 (44100 Hz mono), any
 * other rate or channel count on a dynamic type from the rtpmap. Channels are interleaved sample by
 * sample (RFC 3551 section 4.1).
 */
import type { Codec, CodecOptions } from './codec.ts';
import { DEFAULT_PTIME, checkCapacity, checkPayloadType, samplesForPtime } from './codec.ts';
import { CodecError } from './codec-error.ts';

/** Sample rates accepted for L16 (telephony, wideband, CD and fullband rates). */
export const L16_SAMPLE_RATES: readonly number[] = [8000, 16000, 32000, 44100, 48000];

/** Conventional dynamic payload type for L16 at rates without a static one. */
export const L16_DYNAMIC_PAYLOAD_TYPE = 96;

/** The payload type RFC 3551 table 4 assigns to L16 at this rate and channel count, if any. */
export function l16StaticPayloadType(sampleRate: number, channels: number): number | undefined {
  if (sampleRate !== 44100) return undefined;
  if (channels === 2) return 10;
  if (channels === 1) return 11;
  return undefined;
}

export class L16Codec implements Codec {
  readonly kind = 'audio' as const;
  readonly name = 'L16';
  readonly payloadType: number;
  readonly clockRate: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly ptime: number;
  readonly samplesPerFrame: number;
  readonly timestampIncrement: number;
  readonly maxPayloadBytes: number;

  constructor(opts: CodecOptions = {}) {
    const rate = opts.sampleRate ?? 8000;
    const channels = opts.channels ?? 1;
    if (!L16_SAMPLE_RATES.includes(rate)) {
      throw new CodecError('MEDIA_CODEC_OPTIONS', `L16: unsupported sample rate ${rate}`);
    }
    if (channels !== 1 && channels !== 2) {
      throw new CodecError('MEDIA_CODEC_OPTIONS', `L16: unsupported channel count ${channels}`);
    }
    this.sampleRate = rate;
    this.clockRate = rate;
    this.channels = channels;
    this.payloadType = checkPayloadType(
      'L16',
      opts.payloadType ?? l16StaticPayloadType(rate, channels) ?? L16_DYNAMIC_PAYLOAD_TYPE,
    );
    this.ptime = opts.ptime ?? DEFAULT_PTIME;
    this.samplesPerFrame = samplesForPtime('L16', rate, this.ptime);
    this.timestampIncrement = this.samplesPerFrame;
    this.maxPayloadBytes = this.samplesPerFrame * channels * 2;
  }

  frameSize(ptimeMs: number): number {
    return samplesForPtime('L16', this.sampleRate, ptimeMs);
  }

  encode(pcm: Int16Array, out: Uint8Array): number {
    const n = pcm.length;
    if (out.length < n * 2) checkCapacity('L16', 'encode output', n * 2, out.length);
    for (let i = 0, j = 0; i < n; i++, j += 2) {
      const s = pcm[i]!;
      out[j] = (s >> 8) & 0xff;
      out[j + 1] = s & 0xff;
    }
    return n * 2;
  }

  decode(payload: Uint8Array, out: Int16Array): number {
    // An odd trailing octet is not a sample and is ignored.
    const n = payload.length >> 1;
    if (out.length < n) checkCapacity('L16', 'decode output', n, out.length);
    for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = (payload[j]! << 8) | payload[j + 1]!;
    return n;
  }

  reset(): void {}

  close(): void {}
}

/** An L16 codec instance (8000 Hz mono unless `sampleRate` / `channels` say otherwise). */
export function createL16(opts?: CodecOptions): Codec {
  return new L16Codec(opts);
}
