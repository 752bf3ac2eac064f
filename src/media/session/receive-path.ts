/**
 * The decoding side of a session: received audio packets are copied into preallocated slots and queued
 * in the adaptive jitter buffer (../jitter-buffer.ts, RFC 3550 timing), and once per media tick one
 * tick of PCM is pulled, decoded and regrouped from the packet ptime to the tick. A frame that is
 * missing is concealed by repeating the last one once, then silence. Only paths that need the audio
 * (recording, taps, in-band DTMF, talk detection, transcoding, conferences) turn this on; a plain relay
 * never decodes.
 *
 * No allocation per packet or tick once the slots exist (they are allocated on first use).
 */
import type { Codec } from '../codecs/index.ts';
import { JitterBuffer, type JitterBufferOptions } from '../jitter-buffer.ts';
import type { RtpPacketView } from '../rtp/index.ts';
import { PcmFifo } from './pcm-fifo.ts';

/** Tuning of the receive jitter buffer (ms). */
export type JitterBufferSettings = Pick<JitterBufferOptions, 'minDelayMs' | 'maxDelayMs' | 'initialDelayMs'>;

export class ReceivePath {
  readonly codec: Codec;
  readonly tickSamples: number;
  readonly jitter: JitterBuffer<number>;
  /** Frames decoded, concealed (repeated) and payloads the codec rejected. */
  decodedFrames = 0;
  concealedFrames = 0;
  decodeErrors = 0;
  /** Packets too large for a slot. */
  oversize = 0;
  readonly #fifo: PcmFifo;
  /** Decode target and the previous frame (swapped after each decode, never copied), and their ptime views. */
  #decoded: Int16Array;
  #last: Int16Array;
  #decodedFrame: Int16Array;
  #lastFrame: Int16Array;
  #lastLength = 0;
  /** One packet is one tick: the common case skips the FIFO. */
  readonly #direct: boolean;
  readonly #slotCount: number;
  readonly #slotSize: number;
  #slab: Uint8Array | undefined;
  #slotSeq: Int32Array | undefined;
  #slotLength: Uint16Array | undefined;
  #views: Uint8Array[] = [];

  constructor(codec: Codec, tickMs: number, settings: JitterBufferSettings = {}) {
    this.codec = codec;
    this.tickSamples = Math.round((codec.sampleRate * tickMs) / 1000);
    this.jitter = new JitterBuffer<number>({ clockRate: codec.clockRate, frameMs: codec.ptime, ...settings });
    this.#slotCount = this.jitter.capacity * 2;
    this.#slotSize = Math.min(1500, Math.max(codec.maxPayloadBytes * 2, 64));
    // Up to 120 ms of decoded audio per packet (the longest Opus packet).
    const size = Math.max(codec.samplesPerFrame * 2, Math.ceil((codec.sampleRate * 120) / 1000));
    this.#decoded = new Int16Array(size);
    this.#last = new Int16Array(size);
    this.#decodedFrame = this.#decoded.subarray(0, codec.samplesPerFrame);
    this.#lastFrame = this.#last.subarray(0, codec.samplesPerFrame);
    this.#direct = codec.samplesPerFrame === this.tickSamples;
    this.#fifo = new PcmFifo(size + this.tickSamples * 2);
  }

  /** Queues one audio packet received at `nowMs`. */
  insert(v: RtpPacketView, nowMs: number): void {
    const length = v.payloadLength;
    if (length > this.#slotSize) {
      this.oversize++;
      return;
    }
    if (!this.#slab) this.#allocate();
    const seq = v.sequenceNumber;
    const slot = seq & (this.#slotCount - 1);
    v.buffer.copy(this.#slab!, slot * this.#slotSize, v.payloadOffset, v.payloadOffset + length);
    this.#slotSeq![slot] = seq;
    this.#slotLength![slot] = length;
    this.jitter.insert(seq, v.timestamp, seq, nowMs, v.ssrc, v.marker);
  }

  /** Writes one tick of PCM into `out`; true when it holds received (or concealed) audio, else zeros. */
  pull(nowMs: number, out: Int16Array): boolean {
    const fifo = this.#fifo;
    const need = out.length;
    let audio = fifo.length > 0;
    if (this.#direct && !audio) {
      // One packet per tick and nothing carried over: decode straight into the tick.
      const r = this.jitter.pull(nowMs);
      if (r === 'idle') {
        out.fill(0);
        return false;
      }
      if (r === 'frame') {
        const n = this.#decode(this.jitter.payload!);
        if (n === need) {
          out.set(this.#decodedFrame);
          this.#keep(n);
          return true;
        }
        if (n > 0) {
          fifo.push(this.#decoded, n);
          this.#keep(n);
          audio = true;
        } else if (!this.#conceal(fifo)) fifo.pushSilence(this.codec.samplesPerFrame);
      } else if (this.#lastLength === need && this.jitter.missingRun <= 1) {
        out.set(this.#lastFrame);
        this.concealedFrames++;
        return true;
      } else {
        out.fill(0);
        return false;
      }
    }
    while (fifo.length < need) {
      const r = this.jitter.pull(nowMs);
      if (r === 'frame') {
        const n = this.#decode(this.jitter.payload!);
        if (n > 0) {
          fifo.push(this.#decoded, n);
          this.#keep(n);
          audio = true;
          continue;
        }
      }
      if (r === 'idle') {
        if (fifo.length > 0) fifo.pushSilence(need - fifo.length);
        break;
      }
      // 'missing', or a frame that would not decode: repeat the last frame once, then silence.
      if (this.#conceal(fifo)) audio = true;
      else fifo.pushSilence(this.codec.samplesPerFrame);
    }
    if (fifo.length >= need) {
      fifo.read(out, need);
      return audio;
    }
    out.fill(0);
    return false;
  }

  /** Forgets queued packets and partial audio (decoding turned off, a new stream). */
  reset(): void {
    this.jitter.reset();
    this.#fifo.clear();
    this.#lastLength = 0;
  }

  /** The frame just decoded becomes the last one (buffers swapped, nothing copied). */
  #keep(n: number): void {
    const d = this.#decoded;
    const df = this.#decodedFrame;
    this.#decoded = this.#last;
    this.#decodedFrame = this.#lastFrame;
    this.#last = d;
    this.#lastFrame = df;
    this.#lastLength = n;
    this.decodedFrames++;
  }

  /** Repeats the last frame once after a loss (then silence); false when it cannot. */
  #conceal(fifo: PcmFifo): boolean {
    if (this.jitter.missingRun > 1 || this.#lastLength === 0) return false;
    fifo.push(this.#last, this.#lastLength);
    this.concealedFrames++;
    return true;
  }

  #decode(seq: number): number {
    const slot = seq & (this.#slotCount - 1);
    if (this.#slotSeq![slot] !== seq) return 0;
    const length = this.#slotLength![slot]!;
    let view = this.#views[slot]!;
    if (view.length !== length) {
      view = this.#slab!.subarray(slot * this.#slotSize, slot * this.#slotSize + length);
      this.#views[slot] = view;
    }
    try {
      return this.codec.decode(view, this.#decoded);
    } catch {
      this.decodeErrors++;
      return 0;
    }
  }

  #allocate(): void {
    this.#slab = new Uint8Array(this.#slotCount * this.#slotSize);
    this.#slotSeq = new Int32Array(this.#slotCount).fill(-1);
    this.#slotLength = new Uint16Array(this.#slotCount);
    this.#views = [];
    for (let i = 0; i < this.#slotCount; i++) this.#views.push(this.#slab.subarray(i * this.#slotSize, i * this.#slotSize));
  }
}
