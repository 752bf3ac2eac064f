/**
 * The G.711 codecs PCMU and PCMA (ITU-T G.711; RFC 3551 section 4.5.14: 8000 Hz, one octet per sample,
 * static payload types 0 and 8). One octet per sample through the precomputed tables of pcmu.ts and
 * pcma.ts, so encode and decode are a table lookup per sample and allocate nothing.
 */
import type { Codec, CodecOptions } from './codec.ts';
import { DEFAULT_PTIME, checkCapacity, checkPayloadType, samplesForPtime } from './codec.ts';
import { CodecError } from './codec-error.ts';
import { ALAW_DECODE_TABLE, ALAW_ENCODE_TABLE } from './pcma.ts';
import { ULAW_DECODE_TABLE, ULAW_ENCODE_TABLE } from './pcmu.ts';

const RATE = 8000;

export class G711Codec implements Codec {
  readonly kind = 'audio' as const;
  readonly clockRate = RATE;
  readonly sampleRate = RATE;
  readonly channels = 1;
  readonly name: string;
  readonly payloadType: number;
  readonly ptime: number;
  readonly samplesPerFrame: number;
  readonly timestampIncrement: number;
  readonly maxPayloadBytes: number;
  readonly #encodeTable: Uint8Array;
  readonly #decodeTable: Int16Array;

  constructor(name: 'PCMU' | 'PCMA', opts: CodecOptions = {}) {
    if (opts.sampleRate !== undefined && opts.sampleRate !== RATE) {
      throw new CodecError('MEDIA_CODEC_OPTIONS', `${name}: sample rate must be 8000, not ${opts.sampleRate}`);
    }
    if (opts.channels !== undefined && opts.channels !== 1) {
      throw new CodecError('MEDIA_CODEC_OPTIONS', `${name}: only one channel is supported`);
    }
    this.name = name;
    this.payloadType = checkPayloadType(name, opts.payloadType ?? (name === 'PCMU' ? 0 : 8));
    this.ptime = opts.ptime ?? DEFAULT_PTIME;
    this.samplesPerFrame = samplesForPtime(name, RATE, this.ptime);
    this.timestampIncrement = this.samplesPerFrame;
    this.maxPayloadBytes = this.samplesPerFrame;
    this.#encodeTable = name === 'PCMU' ? ULAW_ENCODE_TABLE : ALAW_ENCODE_TABLE;
    this.#decodeTable = name === 'PCMU' ? ULAW_DECODE_TABLE : ALAW_DECODE_TABLE;
  }

  frameSize(ptimeMs: number): number {
    return samplesForPtime(this.name, RATE, ptimeMs);
  }

  encode(pcm: Int16Array, out: Uint8Array): number {
    const n = pcm.length;
    if (out.length < n) checkCapacity(this.name, 'encode output', n, out.length);
    const table = this.#encodeTable;
    for (let i = 0; i < n; i++) out[i] = table[pcm[i]! & 0xffff]!;
    return n;
  }

  decode(payload: Uint8Array, out: Int16Array): number {
    const n = payload.length;
    if (out.length < n) checkCapacity(this.name, 'decode output', n, out.length);
    const table = this.#decodeTable;
    for (let i = 0; i < n; i++) out[i] = table[payload[i]!]!;
    return n;
  }

  reset(): void {}

  close(): void {}
}

/** A PCMU (G.711 mu-law) codec instance. */
export function createPcmu(opts?: CodecOptions): Codec {
  return new G711Codec('PCMU', opts);
}

/** A PCMA (G.711 A-law) codec instance. */
export function createPcma(opts?: CodecOptions): Codec {
  return new G711Codec('PCMA', opts);
}
