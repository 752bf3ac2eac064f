/**
 * RIFF/WAVE header parsing (Microsoft "Multimedia Programming Interface and Data Specifications 1.0",
 * RIFF chunks and the WAVE 'fmt ' / 'data' chunks; format tags of RFC 2361 appendix A:
 * 0x0001 PCM, 0x0003 IEEE float, 0x0006 A-law, 0x0007 mu-law, 0xFFFE WAVE_FORMAT_EXTENSIBLE whose
 * SubFormat GUID carries one of those tags as xxxxxxxx-0000-0010-8000-00AA00389B71).
 *
 * Robust chunk walking: chunks are visited in any order (fmt after data is accepted), unknown chunks
 * (LIST, fact, cue, junk, bext ...) are skipped, odd-sized chunks are followed by their pad byte, and a
 * missing final pad byte is tolerated. The RIFF size is ignored (writers get it wrong). A data size
 * past the end of the file (a file cut short, or 0xFFFFFFFF from a streaming writer) is clamped to the
 * bytes present; a data size that is not a whole number of blocks drops the partial block.
 */
import { SourceError } from './source-error.ts';

export type SampleEncoding = 'pcm' | 'float' | 'alaw' | 'ulaw';

/** Layout of interleaved samples. */
export interface PcmLayout {
  encoding: SampleEncoding;
  /** 8 (unsigned for PCM), 16, 24 or 32 (PCM); 32 or 64 (float); 8 (A-law, mu-law). */
  bitsPerSample: number;
  channels: number;
  sampleRate: number;
  /** Bytes per sample frame (all channels). */
  blockAlign: number;
}

export interface WavInfo extends PcmLayout {
  /** The effective format tag (the SubFormat's for WAVE_FORMAT_EXTENSIBLE). */
  formatTag: number;
  extensible: boolean;
  /** Byte offset of the first sample in the file. */
  dataOffset: number;
  /** Bytes of whole sample frames present in the file. */
  dataLength: number;
  /** Sample frames present. */
  frames: number;
  /** True when the data chunk claims more bytes than the file holds. */
  truncated: boolean;
}

export const WAVE_FORMAT_PCM = 0x0001;
export const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
export const WAVE_FORMAT_ALAW = 0x0006;
export const WAVE_FORMAT_MULAW = 0x0007;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Bytes 4..15 of the KSDATAFORMAT_SUBTYPE GUIDs derived from a format tag. */
const GUID_TAIL = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** Names of a few common tags, for error messages. */
const TAG_NAMES: Record<number, string> = {
  0x0002: 'MS ADPCM',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MPEG Layer 3',
  0x0064: 'G.726',
  0x0065: 'G.722',
};

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

/** True when the bytes start like a RIFF/WAVE file. */
export function isWav(b: Uint8Array): boolean {
  return b.length >= 12 && fourcc(b, 0) === 'RIFF' && fourcc(b, 8) === 'WAVE';
}

interface FmtChunk {
  formatTag: number;
  extensible: boolean;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

function parseFmt(view: DataView, at: number, size: number): FmtChunk {
  if (size < 16) throw new SourceError('MEDIA_SOURCE_CORRUPT', `WAV fmt chunk of ${size} bytes (needs 16)`);
  let formatTag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  let extensible = false;
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    extensible = true;
    const cbSize = size >= 18 ? view.getUint16(at + 16, true) : 0;
    if (size < 40 || cbSize < 22) {
      throw new SourceError('MEDIA_SOURCE_CORRUPT', `WAVE_FORMAT_EXTENSIBLE fmt chunk too short (${size} bytes)`);
    }
    const guid = at + 24;
    formatTag = view.getUint16(guid, true);
    const high = view.getUint16(guid + 2, true);
    let known = high === 0;
    for (let i = 0; i < GUID_TAIL.length && known; i++) known = view.getUint8(guid + 4 + i) === GUID_TAIL[i];
    if (!known) throw new SourceError('MEDIA_SOURCE_FORMAT', 'WAVE_FORMAT_EXTENSIBLE with an unknown SubFormat GUID');
  }
  return { formatTag, extensible, channels, sampleRate, blockAlign, bitsPerSample };
}

function layoutOf(fmt: FmtChunk): PcmLayout {
  const { formatTag, channels, sampleRate, bitsPerSample } = fmt;
  let encoding: SampleEncoding;
  let ok: boolean;
  switch (formatTag) {
    case WAVE_FORMAT_PCM:
      encoding = 'pcm';
      ok = bitsPerSample === 8 || bitsPerSample === 16 || bitsPerSample === 24 || bitsPerSample === 32;
      break;
    case WAVE_FORMAT_IEEE_FLOAT:
      encoding = 'float';
      ok = bitsPerSample === 32 || bitsPerSample === 64;
      break;
    case WAVE_FORMAT_ALAW:
      encoding = 'alaw';
      ok = bitsPerSample === 8;
      break;
    case WAVE_FORMAT_MULAW:
      encoding = 'ulaw';
      ok = bitsPerSample === 8;
      break;
    default: {
      const hex = `0x${formatTag.toString(16).padStart(4, '0')}`;
      const name = TAG_NAMES[formatTag];
      throw new SourceError('MEDIA_SOURCE_FORMAT', `WAV format tag ${hex}${name ? ` (${name})` : ''} is not supported`);
    }
  }
  if (!ok) throw new SourceError('MEDIA_SOURCE_FORMAT', `${bitsPerSample}-bit ${encoding} WAV is not supported`);
  if (channels < 1 || channels > 32) throw new SourceError('MEDIA_SOURCE_CORRUPT', `WAV with ${channels} channels`);
  if (sampleRate < 1000 || sampleRate > 192000) {
    throw new SourceError('MEDIA_SOURCE_FORMAT', `WAV sample rate ${sampleRate} Hz is not supported`);
  }
  // The block size follows from the sample size; a wrong nBlockAlign in the header is not trusted.
  const blockAlign = channels * (bitsPerSample >> 3);
  return { encoding, bitsPerSample, channels, sampleRate, blockAlign };
}

/** Parses the chunks of a RIFF/WAVE file held in `bytes`; throws a SourceError when it is unusable. */
export function parseWav(bytes: Uint8Array): WavInfo {
  if (bytes.length < 12) throw new SourceError('MEDIA_SOURCE_CORRUPT', `WAV file of ${bytes.length} bytes`);
  const riff = fourcc(bytes, 0);
  if (riff !== 'RIFF') {
    const why = riff === 'RIFX' ? 'big-endian RIFX' : riff === 'RF64' ? 'RF64' : 'not a RIFF file';
    throw new SourceError('MEDIA_SOURCE_FORMAT', `unsupported WAV container: ${why}`);
  }
  const form = fourcc(bytes, 8);
  if (form !== 'WAVE') throw new SourceError('MEDIA_SOURCE_FORMAT', `RIFF form "${form}" is not WAVE`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: FmtChunk | undefined;
  let dataOffset = -1;
  let dataSize = 0;
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = fourcc(bytes, pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'data') {
      if (dataOffset < 0) {
        dataOffset = body;
        dataSize = size;
      }
      if (fmt) break;
      // fmt comes later: skip the samples (when the size is believable) and keep looking.
      if (body + size > bytes.length) break;
    } else {
      if (body + size > bytes.length) {
        const why = `WAV chunk "${id}" of ${size} bytes runs past the end of the file`;
        throw new SourceError('MEDIA_SOURCE_CORRUPT', why);
      }
      if (id === 'fmt ' && !fmt) fmt = parseFmt(view, body, size);
    }
    pos = body + size + (size & 1);
  }
  if (!fmt) throw new SourceError('MEDIA_SOURCE_CORRUPT', 'WAV file has no fmt chunk');
  if (dataOffset < 0) throw new SourceError('MEDIA_SOURCE_CORRUPT', 'WAV file has no data chunk');
  const layout = layoutOf(fmt);
  const present = bytes.length - dataOffset;
  const truncated = dataSize > present;
  const usable = Math.min(dataSize, present);
  const frames = Math.floor(usable / layout.blockAlign);
  return {
    ...layout,
    formatTag: fmt.formatTag,
    extensible: fmt.extensible,
    dataOffset,
    dataLength: frames * layout.blockAlign,
    frames,
    truncated,
  };
}
