/**
 * WAV in and out for synthesized speech: 16-bit mono PCM WAV encoding (the cache's file format, playable
 * by the media layer's players) and decoding through media/sources' RIFF parser (any format it reads,
 * downmixed to mono 16-bit).
 */
import { PcmDecoder, parseWav } from '../media/index.ts';

/** A RIFF/WAVE file of 16-bit little-endian mono PCM. */
export function encodeWav(pcm: Int16Array, sampleRate: number): Buffer {
  const data = pcm.length * 2;
  const buf = Buffer.alloc(44 + data);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + data, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(data, 40);
  for (let i = 0; i < pcm.length; i++) buf.writeInt16LE(pcm[i]!, 44 + i * 2);
  return buf;
}

/** Mono 16-bit samples and rate of a WAV file (throws the media layer's SourceError when unreadable). */
export function decodeWav(bytes: Uint8Array): { pcm: Int16Array; sampleRate: number } {
  const info = parseWav(bytes);
  const pcm = new Int16Array(info.frames);
  new PcmDecoder(info, bytes.subarray(info.dataOffset, info.dataOffset + info.dataLength)).decode(0, pcm, 0, info.frames);
  return { pcm, sampleRate: info.sampleRate };
}
