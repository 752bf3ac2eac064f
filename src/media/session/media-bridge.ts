/**
 * A bridge between two call legs (two media sessions of one thread).
 *
 * - relay: both legs use the same format (codec, clock rate, PCM rate, ptime). Each received packet is
 *   relayed into the other leg's stream at once, rewritten (our SSRC, sequence and timestamp shifted to
 *   stay continuous; RFC 3550 section 7.1), without decoding. RFC 4733 events (section 2.5) are relayed
 *   with the other leg's telephone-event payload type; when the other leg has none, the digit is played
 *   there as tones once received.
 * - transcode: otherwise. Each tick each leg's decoded audio (jitter buffer, decoder) is resampled to the
 *   other's rate and encoded by the other; digits are passed on and sent the other leg's way.
 *
 * Digits received by SIP INFO (injectDtmf) are passed to the other leg in both modes; in-band digits
 * travel inside the audio. A prompt or digit playing on one leg takes over that leg's stream for its
 * duration (relayed packets are dropped meanwhile). Recorders and taps keep working: in relay mode a leg
 * decodes its input only while the other leg records what its party hears. A re-INVITE on either leg
 * re-evaluates the mode. close() unbridges; each leg goes back to standalone (silence).
 */
import type { RtpPacketView } from '../rtp/index.ts';
import type { DtmfSignal, DtmfSource } from './dtmf-inbound.ts';
import { FrameResampler } from './frame-resampler.ts';
import type { MediaSession } from './media-session.ts';
import { relayCompatible } from './session-config.ts';
import { MediaSessionError } from './session-error.ts';
import type { LinkedSession, LinkOutput, SessionLink, SessionMode } from './session-link.ts';

export type BridgeMode = 'relay' | 'transcode';

export interface BridgeOptions {
  /** 'auto' relays when the formats allow it (default); 'transcode' always decodes and re-encodes. */
  mode?: 'auto' | 'transcode';
  /** Pass received digits to the other leg (default true). */
  forwardDtmf?: boolean;
}

export class MediaBridge implements SessionLink {
  readonly a: MediaSession;
  readonly b: MediaSession;
  readonly #auto: boolean;
  readonly #forwardDtmf: boolean;
  #mode: BridgeMode = 'relay';
  /** Converters a -> b and b -> a (transcode mode). */
  #ab: FrameResampler | undefined;
  #ba: FrameResampler | undefined;
  /** The converter's input paused (the leg sent nothing): its history is stale when audio resumes. */
  #abIdle = true;
  #baIdle = true;
  #closed = false;

  /** Use bridgeSessions(). */
  constructor(a: MediaSession, b: MediaSession, options: BridgeOptions = {}) {
    if (a === b) throw new MediaSessionError('MEDIA_SESSION_BUSY', 'a session cannot be bridged to itself');
    if (a.closed || b.closed) throw new MediaSessionError('MEDIA_SESSION_CLOSED', 'cannot bridge a closed session');
    if (a.clock !== b.clock) throw new MediaSessionError('MEDIA_SESSION_CLOCK', 'sessions on different media clocks cannot be bridged');
    this.a = a;
    this.b = b;
    this.#auto = (options.mode ?? 'auto') === 'auto';
    this.#forwardDtmf = options.forwardDtmf ?? true;
    this.#evaluate();
    a.attachLink(this);
    try {
      b.attachLink(this);
    } catch (err) {
      a.detachLink(this);
      throw err;
    }
  }

  get mode(): SessionMode {
    return this.#mode;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Unbridges; both legs continue standalone. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.a.detachLink(this);
    this.b.detachLink(this);
  }

  // ---- SessionLink ----

  onAudioPacket(from: LinkedSession, v: RtpPacketView, nowMs: number): void {
    if (this.#mode === 'relay') this.#other(from).relayIn(v, true, nowMs);
  }

  onEventPacket(from: LinkedSession, v: RtpPacketView, nowMs: number): void {
    if (this.#mode !== 'relay') return;
    const to = this.#other(from);
    if (to.resolved.teSendPt >= 0) to.relayIn(v, false, nowMs);
  }

  onDigit(from: LinkedSession, digit: DtmfSignal, durationMs: number, source: DtmfSource): void {
    if (!this.#forwardDtmf || source === 'inband' || digit === 'flash') return;
    const to = this.#other(from);
    if (source === 'rfc4733' && this.#mode === 'relay' && to.resolved.teSendPt >= 0) return;
    if (!to.closed) to.sendDtmf(digit, { durationMs: Math.max(40, durationMs) });
  }

  afterReceive(): void {}

  produce(to: LinkedSession, out: Int16Array): LinkOutput {
    const from = this.#other(to);
    if (this.#mode === 'relay') {
      if (from.rxAudio) out.set(from.rxFrame);
      else out.fill(0);
      return 'relay';
    }
    const toB = to === this.b;
    if (!from.rxAudio) {
      if (toB) this.#abIdle = true;
      else this.#baIdle = true;
      return 'silence';
    }
    const conv = toB ? this.#ab! : this.#ba!;
    if (toB ? this.#abIdle : this.#baIdle) {
      conv.reset();
      if (toB) this.#abIdle = false;
      else this.#baIdle = false;
    }
    conv.convert(from.rxFrame, out);
    return 'audio';
  }

  needsDecode(s: LinkedSession): boolean {
    return this.#mode === 'transcode' || this.#other(s).hasFeeds;
  }

  reconfigured(): void {
    this.#evaluate();
  }

  detach(): void {
    this.close();
  }

  #other(s: LinkedSession): LinkedSession {
    return s === this.a ? this.b : this.a;
  }

  #evaluate(): void {
    const relay = this.#auto && relayCompatible(this.a.resolved, this.b.resolved);
    this.#mode = relay ? 'relay' : 'transcode';
    if (relay) {
      this.#ab = undefined;
      this.#ba = undefined;
      return;
    }
    const ra = this.a.sampleRate;
    const rb = this.b.sampleRate;
    this.#ab = new FrameResampler(ra, rb, this.a.rxFrame.length, this.b.rxFrame.length);
    this.#ba = new FrameResampler(rb, ra, this.b.rxFrame.length, this.a.rxFrame.length);
  }
}

/** Bridges two legs (see MediaBridge); throws MEDIA_SESSION_BUSY / _CLOSED / _CLOCK. */
export function bridgeSessions(a: MediaSession, b: MediaSession, options?: BridgeOptions): MediaBridge {
  return new MediaBridge(a, b, options);
}
