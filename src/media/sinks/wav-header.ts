/**
 * The canonical 44-byte RIFF/WAVE header of linear PCM (Microsoft RIFF "WAVE" form: a 'fmt ' chunk with
 * format tag 1 (RFC 2361 WAVE_FORMAT_PCM) followed by the 'data' chunk), as recorders write it: once with
 * zero sizes when the file is created and again with the final sizes when it is closed.
 */
export const WAV_HEADER_BYTES = 44;

export interface WavHeaderFields {
  sampleRate: number;
  channels: number;
  /** 16 unless given. */
  bitsPerSample?: number;
  /** Bytes of sample data that follow the header. */
  dataBytes: number;
}

/** The 44 header bytes for `dataBytes` of PCM. */
export function wavHeader(f: WavHeaderFields): Buffer {
  const bits = f.bitsPerSample ?? 16;
  const block = f.channels * (bits >> 3);
  const b = Buffer.alloc(WAV_HEADER_BYTES);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(Math.min(0xffffffff, 36 + f.dataBytes), 4);
  b.write('WAVE', 8, 'latin1');
  b.write('fmt ', 12, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(f.channels, 22);
  b.writeUInt32LE(f.sampleRate, 24);
  b.writeUInt32LE(f.sampleRate * block, 28);
  b.writeUInt16LE(block, 32);
  b.writeUInt16LE(bits, 34);
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(Math.min(0xffffffff, f.dataBytes), 40);
  return b;
}

/** A whole WAV file of 16-bit samples (interleaved when channels > 1); for tests and small prompts. */
export function encodeWav(samples: Int16Array, sampleRate: number, channels = 1): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) data.writeInt16LE(samples[i]!, i * 2);
  return Buffer.concat([wavHeader({ sampleRate, channels, dataBytes: data.length }), data]);
}
