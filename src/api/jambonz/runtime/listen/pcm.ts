/**
 * Linear 16-bit PCM as the audio socket carries it (specs/jambonz.md §3.C: raw L16 little-endian in
 * binary frames and in `playAudio` raw content; `wav`/`wave` content with a RIFF header): conversion
 * between Int16Array and bytes (a binary frame may split a sample; the remainder waits for the next
 * frame), 2:1 rate changes for 64 kHz (the media layer handles 8-48 kHz), and a small WAV reader for
 * 16-bit PCM content (other channels than the first are dropped). Pure.
 */

const LITTLE_ENDIAN = new Uint8Array(Int16Array.of(1).buffer)[0] === 1;

/** Samples as little-endian bytes (a copy, safe to send). */
export function pcmToBytes(pcm: Int16Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  const out = Buffer.alloc(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i]!, i * 2);
  return out;
}

/** Joins binary frames into whole samples; an odd trailing byte is kept for the next frame. */
export class PcmAssembler {
  #carry: number | undefined;

  push(bytes: Uint8Array): Int16Array {
    const total = bytes.length + (this.#carry === undefined ? 0 : 1);
    const out = new Int16Array(Math.floor(total / 2));
    let at = 0;
    let i = 0;
    if (this.#carry !== undefined && bytes.length > 0) {
      out[at++] = ((bytes[0]! << 8) | this.#carry) << 16 >> 16;
      i = 1;
      this.#carry = undefined;
    }
    for (; i + 1 < bytes.length; i += 2) out[at++] = ((bytes[i + 1]! << 8) | bytes[i]!) << 16 >> 16;
    if (i < bytes.length) this.#carry = bytes[i]!;
    return at === out.length ? out : out.subarray(0, at);
  }
}

/** Doubles the rate (linear interpolation): 32 kHz taps become 64 kHz frames. */
export function upsample2x(pcm: Int16Array): Int16Array {
  const out = new Int16Array(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) {
    const a = pcm[i]!;
    const b = i + 1 < pcm.length ? pcm[i + 1]! : a;
    out[2 * i] = a;
    out[2 * i + 1] = (a + b) >> 1;
  }
  return out;
}

/** Halves the rate (pairs averaged): 64 kHz content becomes 32 kHz for the media layer. */
export function downsample2x(pcm: Int16Array): Int16Array {
  const out = new Int16Array(pcm.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (pcm[2 * i]! + pcm[2 * i + 1]!) >> 1;
  return out;
}

/** Stereo interleaved samples: left channel kept (for playing what a WAV holds). */
function firstChannel(pcm: Int16Array, channels: number): Int16Array {
  if (channels === 1) return pcm;
  const out = new Int16Array(Math.floor(pcm.length / channels));
  for (let i = 0; i < out.length; i++) out[i] = pcm[i * channels]!;
  return out;
}

export type WavContent = { ok: true; sampleRate: number; pcm: Int16Array } | { ok: false; error: string };

/** A RIFF/WAVE file of 16-bit PCM to mono samples and rate. */
export function readWavPcm(bytes: Uint8Array): WavContent {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    return { ok: false, error: 'not a RIFF/WAVE file' };
  }
  let at = 12;
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  for (let chunks = 0; at + 8 <= buf.length && chunks < 64; chunks++) {
    const id = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ' && size >= 16 && body + 16 <= buf.length) {
      fmt = { format: buf.readUInt16LE(body), channels: buf.readUInt16LE(body + 2), rate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) return { ok: false, error: 'WAV data before its fmt chunk' };
      if ((fmt.format !== 1 && fmt.format !== 0xfffe) || fmt.bits !== 16 || fmt.channels < 1) {
        return { ok: false, error: `unsupported WAV format ${fmt.format}/${fmt.bits} bits (16-bit PCM only)` };
      }
      const end = Math.min(buf.length, body + size);
      const samples = new PcmAssembler().push(buf.subarray(body, end));
      return { ok: true, sampleRate: fmt.rate, pcm: firstChannel(samples, fmt.channels) };
    }
    at = body + size + (size & 1);
  }
  return { ok: false, error: 'WAV without a data chunk' };
}
