/**
 * Opus (RFC 6716) as an RTP audio codec (RFC 7587: the rtpmap is always "opus/48000/2", the RTP clock
 * is 48 kHz whatever the PCM rate, fmtp parameters maxaveragebitrate, useinbandfec, usedtx).
 *
 * The codec itself is the libopus build of the `opusscript` npm module (WebAssembly). The module is
 * optional: it is loaded on first use, so every other codec works without it, and a missing module is
 * a MEDIA_CODEC_UNAVAILABLE error (isOpusAvailable() asks first). opusscript copies each packet and
 * frame into a new Buffer, so unlike the table codecs an Opus frame allocates a little.
 */
import { createRequire } from 'node:module';
import type { Codec, CodecOptions } from './codec.ts';
import { DEFAULT_PTIME, checkCapacity, checkPayloadType } from './codec.ts';
import { CodecError } from './codec-error.ts';
import { errorMessage } from '../../lib/index.ts';

/** The part of the opusscript API this codec uses. */
interface OpusScriptInstance {
  /** Takes the PCM as bytes in host order (little-endian on every platform Node runs on). */
  encode(pcmBytes: Uint8Array, frameSize: number): Uint8Array;
  decode(packet: Uint8Array): Uint8Array;
  encoderCTL(ctl: number, arg: number): void;
  delete(): void;
}
type OpusScriptConstructor = new (sampleRate: number, channels: number, application: number) => OpusScriptInstance;

/** PCM rates libopus can encode from and decode to (RFC 6716 section 2). */
export const OPUS_SAMPLE_RATES: readonly number[] = [8000, 12000, 16000, 24000, 48000];
/** Conventional dynamic payload type (there is no static one). */
export const OPUS_DYNAMIC_PAYLOAD_TYPE = 111;
/** RTP clock rate of Opus (RFC 7587 section 4.1). */
export const OPUS_CLOCK_RATE = 48000;
/** Frame durations Opus can encode, in ms (RFC 6716 section 2.1.4). */
const FRAME_MS = [2.5, 5, 10, 20, 40, 60];
/** Largest packet: three maximal frames (RFC 6716 section 3.2.5). */
const MAX_PACKET = 1275 * 3 + 7;
/** Largest decoded frame: 120 ms (RFC 6716 section 3.2.5). */
const MAX_FRAME_MS = 120;

const APPLICATION_VOIP = 2048;
const SET_BITRATE = 4002;
const SET_COMPLEXITY = 4010;
const SET_INBAND_FEC = 4012;
const SET_PACKET_LOSS_PERC = 4014;
const SET_DTX = 4016;

let opusConstructor: OpusScriptConstructor | null | undefined;

function isModuleMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND';
}

function loadSync(): OpusScriptConstructor | null {
  if (opusConstructor === undefined) {
    try {
      opusConstructor = createRequire(import.meta.url)('opusscript') as OpusScriptConstructor;
    } catch (err) {
      if (!isModuleMissing(err)) throw err;
      opusConstructor = null;
    }
  }
  return opusConstructor;
}

/** True when the `opusscript` module can be loaded (loads it on the first call). */
export function isOpusAvailable(): boolean {
  return loadSync() !== null;
}

/** Loads `opusscript` with a dynamic import ahead of the first call; resolves to its availability. */
export async function loadOpus(): Promise<boolean> {
  if (opusConstructor !== undefined) return opusConstructor !== null;
  const specifier = 'opusscript';
  try {
    const mod = (await import(specifier)) as { default?: unknown };
    opusConstructor = (mod.default ?? mod) as OpusScriptConstructor;
  } catch (err) {
    if (!isModuleMissing(err)) throw err;
    opusConstructor = null;
  }
  return opusConstructor !== null;
}

function intFmtp(fmtp: Readonly<Record<string, string>> | undefined, name: string): number | undefined {
  const raw = fmtp?.[name];
  if (raw === undefined) return undefined;
  const v = Number.parseInt(raw, 10);
  return Number.isFinite(v) ? v : undefined;
}

export class OpusCodec implements Codec {
  readonly kind = 'audio' as const;
  readonly name = 'opus';
  readonly clockRate = OPUS_CLOCK_RATE;
  readonly payloadType: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly ptime: number;
  readonly samplesPerFrame: number;
  readonly timestampIncrement: number;
  readonly maxPayloadBytes = MAX_PACKET;
  #opus: OpusScriptInstance | null;
  /** Byte view of the caller's last PCM frame, reused while the caller reuses the frame. */
  #pcm: Int16Array | null = null;
  #pcmBytes: Uint8Array = new Uint8Array(0);
  readonly #ctor: OpusScriptConstructor;
  readonly #ctl: readonly (readonly [number, number])[];

  constructor(opts: CodecOptions = {}) {
    const ctor = loadSync();
    if (ctor === null) {
      throw new CodecError('MEDIA_CODEC_UNAVAILABLE', 'opus: the opusscript module is not installed');
    }
    const rate = opts.sampleRate ?? OPUS_CLOCK_RATE;
    const channels = opts.channels ?? 1;
    if (!OPUS_SAMPLE_RATES.includes(rate)) {
      throw new CodecError('MEDIA_CODEC_OPTIONS', `opus: unsupported PCM sample rate ${rate}`);
    }
    if (channels !== 1 && channels !== 2) {
      throw new CodecError('MEDIA_CODEC_OPTIONS', `opus: unsupported channel count ${channels}`);
    }
    const ptime = opts.ptime ?? DEFAULT_PTIME;
    if (!FRAME_MS.includes(ptime)) {
      throw new CodecError('MEDIA_CODEC_OPTIONS', `opus: ptime ${ptime} is not an Opus frame duration`);
    }
    this.#ctor = ctor;
    this.payloadType = checkPayloadType('opus', opts.payloadType ?? OPUS_DYNAMIC_PAYLOAD_TYPE);
    this.sampleRate = rate;
    this.channels = channels;
    this.ptime = ptime;
    this.samplesPerFrame = (rate * ptime) / 1000;
    this.timestampIncrement = (OPUS_CLOCK_RATE * ptime) / 1000;

    const ctl: [number, number][] = [];
    const bitrate = opts.bitrate ?? intFmtp(opts.fmtp, 'maxaveragebitrate');
    if (bitrate !== undefined) {
      if (!Number.isInteger(bitrate) || bitrate < 6000 || bitrate > 510000) {
        throw new CodecError('MEDIA_CODEC_OPTIONS', `opus: bitrate ${bitrate} is not 6000-510000`);
      }
      ctl.push([SET_BITRATE, bitrate]);
    }
    if (opts.complexity !== undefined) {
      if (!Number.isInteger(opts.complexity) || opts.complexity < 0 || opts.complexity > 10) {
        throw new CodecError('MEDIA_CODEC_OPTIONS', `opus: complexity ${opts.complexity} is not 0-10`);
      }
      ctl.push([SET_COMPLEXITY, opts.complexity]);
    }
    if (intFmtp(opts.fmtp, 'useinbandfec') === 1) ctl.push([SET_INBAND_FEC, 1], [SET_PACKET_LOSS_PERC, 10]);
    if (intFmtp(opts.fmtp, 'usedtx') === 1) ctl.push([SET_DTX, 1]);
    this.#ctl = ctl;
    this.#opus = this.#create();
  }

  #create(): OpusScriptInstance {
    try {
      const opus = new this.#ctor(this.sampleRate, this.channels, APPLICATION_VOIP);
      for (const [ctl, arg] of this.#ctl) opus.encoderCTL(ctl, arg);
      return opus;
    } catch (err) {
      throw new CodecError('MEDIA_CODEC_FAILED', `opus: cannot create the codec: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }

  #instance(): OpusScriptInstance {
    if (this.#opus === null) throw new CodecError('MEDIA_CODEC_CLOSED', 'opus: the codec is closed');
    return this.#opus;
  }

  frameSize(ptimeMs: number): number {
    if (!FRAME_MS.includes(ptimeMs)) {
      throw new CodecError('MEDIA_CODEC_OPTIONS', `opus: ${ptimeMs} ms is not an Opus frame duration`);
    }
    return (this.sampleRate * ptimeMs) / 1000;
  }

  encode(pcm: Int16Array, out: Uint8Array): number {
    const opus = this.#instance();
    const frame = pcm.length / this.channels;
    if (!FRAME_MS.some((ms) => (this.sampleRate * ms) / 1000 === frame)) {
      throw new CodecError('MEDIA_CODEC_FRAME', `opus: ${frame} samples per channel is not an Opus frame`);
    }
    let packet: Uint8Array;
    try {
      if (this.#pcm !== pcm || this.#pcmBytes.buffer !== pcm.buffer) {
        this.#pcm = pcm;
        this.#pcmBytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
      }
      packet = opus.encode(this.#pcmBytes, frame);
    } catch (err) {
      throw new CodecError('MEDIA_CODEC_FAILED', `opus: encode failed: ${errorMessage(err)}`, { cause: err });
    }
    if (out.length < packet.length) checkCapacity('opus', 'encode output', packet.length, out.length);
    out.set(packet);
    return packet.length;
  }

  /** Decodes one packet (up to 120 ms); an empty payload makes libopus conceal up to 60 ms. */
  decode(payload: Uint8Array, out: Int16Array): number {
    const opus = this.#instance();
    let pcm: Uint8Array;
    try {
      pcm = opus.decode(payload);
    } catch (err) {
      throw new CodecError('MEDIA_CODEC_FAILED', `opus: decode failed: ${errorMessage(err)}`, { cause: err });
    }
    const n = pcm.length >> 1;
    if (out.length < n) checkCapacity('opus', 'decode output', n, out.length);
    for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = pcm[j]! | (pcm[j + 1]! << 8);
    return n;
  }

  /** Largest number of samples (all channels) one decode() can write: a 120 ms packet. */
  get maxDecodedSamples(): number {
    return ((this.sampleRate * MAX_FRAME_MS) / 1000) * this.channels;
  }

  reset(): void {
    const opus = this.#instance();
    opus.delete();
    this.#opus = null;
    this.#opus = this.#create();
  }

  close(): void {
    if (this.#opus === null) return;
    this.#opus.delete();
    this.#opus = null;
  }
}

/** An Opus codec instance (48 kHz mono PCM unless `sampleRate` / `channels` say otherwise). */
export function createOpus(opts?: CodecOptions): Codec {
  return new OpusCodec(opts);
}
