/**
 * Recognises the content of an audio file and makes a PcmStore of it: RIFF/WAVE (wav-format.ts), MPEG
 * audio (mp3-decoder.ts), and the headerless files FreeSWITCH names by extension (.ulaw/.pcmu and
 * .alaw/.pcma: G.711 at 8 kHz; .sln/.raw/.r8: 16-bit little-endian linear at 8 kHz; .sln16/.r16,
 * .sln32/.r32, .sln48/.r48 at 16, 32 and 48 kHz). The content decides first (magic bytes), then the
 * extension, then the HTTP content type.
 */
import { decodeMp3, isMp3 } from './mp3-decoder.ts';
import type { PcmStore } from './pcm-store.ts';
import { EncodedStore, Int16Store } from './pcm-store.ts';
import { SourceError } from './source-error.ts';
import type { PcmLayout } from './wav-format.ts';
import { isWav, parseWav } from './wav-format.ts';

function linear(rate: number): PcmLayout {
  return { encoding: 'pcm', bitsPerSample: 16, channels: 1, sampleRate: rate, blockAlign: 2 };
}

function g711(encoding: 'alaw' | 'ulaw'): PcmLayout {
  return { encoding, bitsPerSample: 8, channels: 1, sampleRate: 8000, blockAlign: 1 };
}

/** Headerless formats by file extension. */
export const RAW_EXTENSIONS: Readonly<Record<string, PcmLayout>> = {
  ulaw: g711('ulaw'),
  pcmu: g711('ulaw'),
  ul: g711('ulaw'),
  alaw: g711('alaw'),
  pcma: g711('alaw'),
  al: g711('alaw'),
  sln: linear(8000),
  raw: linear(8000),
  r8: linear(8000),
  sln16: linear(16000),
  r16: linear(16000),
  sln32: linear(32000),
  r32: linear(32000),
  sln48: linear(48000),
  r48: linear(48000),
};

/** The lower-case extension of a path or URL path, without the dot. */
export function extensionOf(name: string): string {
  const path = name.split(/[?#]/, 1)[0] ?? '';
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

export interface AudioHints {
  /** File path or URL (for the extension). */
  name?: string;
  /** HTTP Content-Type, if any. */
  contentType?: string;
}

/** Makes a store of a whole file's bytes. */
export async function loadAudio(bytes: Uint8Array, hints: AudioHints = {}): Promise<PcmStore> {
  if (isWav(bytes)) {
    const info = parseWav(bytes);
    return new EncodedStore(info, bytes.subarray(info.dataOffset, info.dataOffset + info.dataLength));
  }
  const ext = hints.name ? extensionOf(hints.name) : '';
  const type = (hints.contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (ext === 'wav' || type === 'audio/wav' || type === 'audio/x-wav' || type === 'audio/wave') {
    // Claims to be WAV but has no RIFF/WAVE header: parseWav names what is wrong.
    parseWav(bytes);
  }
  if (isMp3(bytes) || ext === 'mp3' || type === 'audio/mpeg' || type === 'audio/mp3') {
    const { samples, sampleRate } = await decodeMp3(bytes);
    return new Int16Store(samples, sampleRate);
  }
  const raw = RAW_EXTENSIONS[ext];
  if (raw) {
    const whole = bytes.length - (bytes.length % raw.blockAlign);
    return new EncodedStore(raw, bytes.subarray(0, whole));
  }
  throw new SourceError('MEDIA_SOURCE_FORMAT', `unrecognised audio content${hints.name ? ` in ${hints.name}` : ''}`);
}
