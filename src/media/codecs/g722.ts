/**
 * G.722 as an RTP audio codec (ITU-T G.722 at 64 kbit/s; RFC 3551 section 4.5.2: static payload type
 * 9, 16000 Hz sampling but an RTP clock rate of 8000 "for historical reasons", so a 20 ms frame is 320
 * samples, 160 octets and 160 timestamp units). Encoder and decoder keep ADPCM state across frames, so
 * each stream needs its own instance.
 */
import type { Codec, CodecOptions } from './codec.ts';
import { DEFAULT_PTIME, checkCapacity, checkPayloadType, samplesForPtime } from './codec.ts';
import { CodecError } from './codec-error.ts';
import { G722Decoder } from './g722-decoder.ts';
import { G722Encoder } from './g722-encoder.ts';

const SAMPLE_RATE = 16000;
const CLOCK_RATE = 8000;

export class G722Codec implements Codec {
  readonly kind = 'audio' as const;
  readonly name = 'G722';
  readonly clockRate = CLOCK_RATE;
  readonly sampleRate = SAMPLE_RATE;
  readonly channels = 1;
  readonly payloadType: number;
  readonly ptime: number;
  readonly samplesPerFrame: number;
  readonly timestampIncrement: number;
  readonly maxPayloadBytes: number;
  readonly #encoder = new G722Encoder();
  readonly #decoder = new G722Decoder();

  constructor(opts: CodecOptions = {}) {
    if (opts.sampleRate !== undefined && opts.sampleRate !== SAMPLE_RATE) {
      throw new CodecError('MEDIA_CODEC_OPTIONS', `G722: PCM is 16000 Hz, not ${opts.sampleRate}`);
    }
    if (opts.channels !== undefined && opts.channels !== 1) {
      throw new CodecError('MEDIA_CODEC_OPTIONS', 'G722: only one channel is supported');
    }
    this.payloadType = checkPayloadType('G722', opts.payloadType ?? 9);
    this.ptime = opts.ptime ?? DEFAULT_PTIME;
    this.samplesPerFrame = samplesForPtime('G722', SAMPLE_RATE, this.ptime);
    this.timestampIncrement = this.samplesPerFrame / 2;
    this.maxPayloadBytes = this.samplesPerFrame / 2;
  }

  frameSize(ptimeMs: number): number {
    return samplesForPtime('G722', SAMPLE_RATE, ptimeMs);
  }

  encode(pcm: Int16Array, out: Uint8Array): number {
    const n = pcm.length;
    if ((n & 1) !== 0) throw new CodecError('MEDIA_CODEC_FRAME', `G722: ${n} samples is not an even count`);
    if (out.length < n >> 1) checkCapacity('G722', 'encode output', n >> 1, out.length);
    return this.#encoder.encode(pcm, n, out);
  }

  decode(payload: Uint8Array, out: Int16Array): number {
    const n = payload.length;
    if (out.length < n * 2) checkCapacity('G722', 'decode output', n * 2, out.length);
    return this.#decoder.decode(payload, n, out);
  }

  reset(): void {
    this.#encoder.reset();
    this.#decoder.reset();
  }

  close(): void {}
}

/** A G.722 codec instance (64 kbit/s, 16 kHz PCM). */
export function createG722(opts?: CodecOptions): Codec {
  return new G722Codec(opts);
}
