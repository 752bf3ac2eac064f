/**
 * MPEG-1/2/2.5 audio (ISO/IEC 11172-3, ISO/IEC 13818-3; Layer III "MP3") decoding through the
 * `mpg123-decoder` npm package (libmpg123 compiled to WebAssembly: no native build). The module is
 * loaded on first use, so the rest of the media room works without it; a missing module is reported as
 * MEDIA_SOURCE_UNAVAILABLE. Files are decoded whole at open time to mono 16-bit PCM (channels averaged).
 */
import { SourceError } from './source-error.ts';

interface DecodedChunk {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: unknown[];
}

interface MpegDecoder {
  ready: Promise<void>;
  decode(data: Uint8Array): DecodedChunk;
  free(): void;
}

type MpegDecoderConstructor = new (opts?: { enableGapless?: boolean }) => MpegDecoder;

let decoderClass: Promise<MpegDecoderConstructor | null> | undefined;

function isModuleMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

async function loadClass(): Promise<MpegDecoderConstructor | null> {
  const specifier = 'mpg123-decoder';
  try {
    const mod = (await import(specifier)) as { MPEGDecoder?: unknown };
    return typeof mod.MPEGDecoder === 'function' ? (mod.MPEGDecoder as MpegDecoderConstructor) : null;
  } catch (err) {
    if (isModuleMissing(err)) return null;
    throw err;
  }
}

/** True when the MP3 decoder module can be loaded. */
export async function isMp3Available(): Promise<boolean> {
  decoderClass ??= loadClass();
  return (await decoderClass) !== null;
}

/** True when the bytes start like MPEG audio: an ID3v2 tag or a frame sync (11 set bits). */
export function isMp3(b: Uint8Array): boolean {
  if (b.length >= 3 && b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33) return true;
  return b.length >= 2 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && (b[1]! & 0x06) !== 0;
}

export interface DecodedAudio {
  /** Mono samples. */
  samples: Int16Array;
  sampleRate: number;
}

/** Bytes handed to the decoder per call (bounds its working memory). */
const CHUNK = 64 * 1024;

/** Decodes a whole MP3 file to mono 16-bit PCM at its own rate. */
export async function decodeMp3(bytes: Uint8Array): Promise<DecodedAudio> {
  decoderClass ??= loadClass();
  const Ctor = await decoderClass;
  if (!Ctor) throw new SourceError('MEDIA_SOURCE_UNAVAILABLE', 'MP3 playback needs the npm package mpg123-decoder');
  const decoder = new Ctor({ enableGapless: true });
  const parts: Int16Array[] = [];
  let total = 0;
  let sampleRate = 0;
  try {
    await decoder.ready;
    for (let at = 0; at < bytes.length; at += CHUNK) {
      const r = decoder.decode(bytes.subarray(at, Math.min(bytes.length, at + CHUNK)));
      if (r.samplesDecoded === 0 || r.channelData.length === 0) continue;
      sampleRate ||= r.sampleRate;
      const part = new Int16Array(r.samplesDecoded);
      const channels = r.channelData;
      const scale = 32768 / channels.length;
      for (let i = 0; i < part.length; i++) {
        let sum = 0;
        for (const ch of channels) sum += ch[i] ?? 0;
        const v = Math.round(sum * scale);
        part[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
      parts.push(part);
      total += part.length;
    }
  } catch (err) {
    throw new SourceError('MEDIA_SOURCE_CORRUPT', 'MP3 decoding failed', { cause: err });
  } finally {
    decoder.free();
  }
  if (total === 0 || sampleRate < 1000) throw new SourceError('MEDIA_SOURCE_CORRUPT', 'no MPEG audio frames found');
  const samples = new Int16Array(total);
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  return { samples, sampleRate };
}
