/**
 * Turns the session's audio, one media tick at a time, into RTP packets of the negotiated ptime (RFC
 * 3551 section 4.2; RFC 3264 a=ptime): with ptime equal to the tick one packet per tick, otherwise a
 * small FIFO regroups the samples (30 ms packets from 20 ms ticks, two 10 ms packets per tick).
 * Timestamps advance by the codec's timestamp increment per packet (half the samples for G.722, RFC
 * 3551 section 4.5.2), and by the tick's worth when a tick is not sent, so the receiver's clock keeps
 * time across holds and pauses.
 */
import type { Codec } from '../codecs/index.ts';
import type { OutboundStream } from './outbound-stream.ts';
import { PcmFifo } from './pcm-fifo.ts';

/** Codecs whose encoded silence can be computed once and resent (no state between frames). */
const STATELESS = new Set(['pcmu', 'pcma', 'l16']);

export class Packetizer {
  readonly codec: Codec;
  readonly tickSamples: number;
  /** RTP timestamp units per tick. */
  readonly tickTs: number;
  readonly #out: OutboundStream;
  readonly #payload: Uint8Array;
  readonly #direct: boolean;
  readonly #fifo: PcmFifo | undefined;
  readonly #frame: Int16Array;
  readonly #zeros: Int16Array;
  /** Encoded silence of one packet for stateless codecs (length in #silenceLength). */
  readonly #silence: Uint8Array | undefined;
  #silenceLength = 0;
  /** Encoder failures (an Opus error); the frame is skipped. */
  encodeErrors = 0;

  constructor(codec: Codec, out: OutboundStream, tickMs: number) {
    this.codec = codec;
    this.#out = out;
    this.tickSamples = Math.round((codec.sampleRate * tickMs) / 1000);
    this.tickTs = Math.round((codec.clockRate * tickMs) / 1000);
    this.#payload = new Uint8Array(codec.maxPayloadBytes);
    this.#direct = codec.samplesPerFrame === this.tickSamples;
    this.#fifo = this.#direct ? undefined : new PcmFifo(codec.samplesPerFrame + this.tickSamples * 2);
    this.#frame = new Int16Array(codec.samplesPerFrame);
    this.#zeros = new Int16Array(this.tickSamples);
    if (STATELESS.has(codec.name.toLowerCase())) {
      this.#silence = new Uint8Array(codec.maxPayloadBytes);
      this.#silenceLength = codec.encode(new Int16Array(codec.samplesPerFrame), this.#silence);
    }
  }

  /** Sends one tick of audio (`frame.length` is tickSamples). */
  send(frame: Int16Array, nowMs: number): void {
    if (this.#direct) {
      this.#encodeAndSend(frame, nowMs);
      return;
    }
    const fifo = this.#fifo!;
    fifo.push(frame);
    if (fifo.length < this.#frame.length) {
      this.#out.touch(nowMs);
      return;
    }
    while (fifo.length >= this.#frame.length) {
      fifo.read(this.#frame);
      this.#encodeAndSend(this.#frame, nowMs);
    }
  }

  /** Sends one tick of silence (keeps NAT bindings and the far end's playout running). */
  sendSilence(nowMs: number): void {
    if (this.#direct && this.#silence) {
      this.#out.sendLocal(this.#silence, this.#silenceLength, this.codec.timestampIncrement, nowMs);
      return;
    }
    this.send(this.#zeros, nowMs);
  }

  /** A tick that is not sent: the timestamp advances by a tick (and by any partial packet dropped). */
  skip(nowMs: number): void {
    let units = this.tickTs;
    const fifo = this.#fifo;
    if (fifo && fifo.length > 0) {
      units += Math.round((fifo.length * this.codec.clockRate) / this.codec.sampleRate);
      fifo.clear();
    }
    this.#out.skip(units, nowMs);
  }

  /** Drops a partial packet without moving time (before a relay run takes over the stream). */
  reset(): void {
    this.#fifo?.clear();
  }

  #encodeAndSend(frame: Int16Array, nowMs: number): void {
    let n: number;
    try {
      n = this.codec.encode(frame, this.#payload);
    } catch {
      this.encodeErrors++;
      this.#out.skip(this.codec.timestampIncrement, nowMs);
      return;
    }
    this.#out.sendLocal(this.#payload, n, this.codec.timestampIncrement, nowMs);
  }
}
