/**
 * One WAV from the segments of a paused and resumed call recording: each segment's PCM data in order,
 * with the paused time between them filled with silence (as the original masks a paused recording's
 * audio), under one canonical 44-byte header. Segments must share rate, channels and 16-bit PCM; an
 * unreadable segment is skipped (its time becomes silence). Pure.
 */

export interface WavData {
  sampleRate: number;
  channels: number;
  data: Buffer;
}

/** The PCM data of a 16-bit RIFF/WAVE file; undefined when it is not one. */
export function wavDataOf(bytes: Buffer): WavData | undefined {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') return undefined;
  let at = 12;
  let fmt: { channels: number; rate: number; bits: number } | undefined;
  for (let n = 0; at + 8 <= bytes.length && n < 64; n++) {
    const id = bytes.toString('latin1', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 24 <= bytes.length) {
      fmt = { channels: bytes.readUInt16LE(at + 10), rate: bytes.readUInt32LE(at + 12), bits: bytes.readUInt16LE(at + 22) };
    } else if (id === 'data') {
      if (!fmt || fmt.bits !== 16 || fmt.channels < 1) return undefined;
      const end = Math.min(bytes.length, at + 8 + size);
      return { sampleRate: fmt.rate, channels: fmt.channels, data: bytes.subarray(at + 8, end) };
    }
    at += 8 + size + (size & 1);
  }
  return undefined;
}

export function wavHeaderOf(sampleRate: number, channels: number, dataBytes: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Joins segments (each with the silence before it, in ms); undefined when none is readable. */
export function joinWavSegments(segments: readonly { bytes: Buffer | undefined; silenceBeforeMs: number }[]): Buffer | undefined {
  const parsed = segments.map((s) => ({ wav: s.bytes ? wavDataOf(s.bytes) : undefined, silenceBeforeMs: s.silenceBeforeMs }));
  const first = parsed.find((p) => p.wav)?.wav;
  if (!first) return undefined;
  const frameBytes = first.channels * 2;
  const parts: Buffer[] = [];
  let total = 0;
  for (const p of parsed) {
    const silence = Math.round((p.silenceBeforeMs * first.sampleRate) / 1000) * frameBytes;
    if (silence > 0 && total > 0) {
      parts.push(Buffer.alloc(silence));
      total += silence;
    }
    if (!p.wav || p.wav.sampleRate !== first.sampleRate || p.wav.channels !== first.channels) continue;
    const data = p.wav.data.subarray(0, p.wav.data.length - (p.wav.data.length % frameBytes));
    parts.push(data);
    total += data.length;
  }
  return Buffer.concat([wavHeaderOf(first.sampleRate, first.channels, total), ...parts]);
}
