/**
 * What ties a session's media to something else for a while: echo (back to itself), a bridge to
 * another leg (relay or transcode), a conference mixer. A session has at most one link; the link gets
 * the session's packets and decoded audio at fixed points of the packet path and the tick, and gives it
 * the audio to send. Links are internal to media/session; the public handles are MediaBridge and
 * MixerLink.
 */
import type { MediaClock } from '../media-clock.ts';
import type { RtpPacketView } from '../rtp/index.ts';
import type { DtmfSignal, DtmfSource } from './dtmf-inbound.ts';
import type { DtmfSendOptions } from './dtmf-sender.ts';
import type { ResolvedConfig } from './session-config.ts';

/**
 * What a link made of a session's outgoing tick: 'audio' (the frame holds it: encode and send),
 * 'silence' (nothing to say), 'relay' (packets are relayed as they come; the frame holds what the party
 * hears when it was decoded, zeros otherwise).
 */
export type LinkOutput = 'audio' | 'silence' | 'relay';

export type SessionMode = 'standalone' | 'echo' | 'relay' | 'transcode' | 'conference';

/** What a link sees of a session (LinkedSession implements it). */
export interface LinkedSession {
  readonly id: string;
  readonly closed: boolean;
  readonly clock: MediaClock;
  readonly tickMs: number;
  /** PCM rate of the session's audio. */
  readonly sampleRate: number;
  /** The tick's received audio (zeros when rxAudio is false), from the receive phase on. */
  readonly rxFrame: Int16Array;
  readonly rxAudio: boolean;
  readonly resolved: ResolvedConfig;
  /** Recorders or taps want the session's audio. */
  readonly hasFeeds: boolean;
  relayIn(v: RtpPacketView, audio: boolean, nowMs: number): boolean;
  sendDtmf(digits: string, options?: DtmfSendOptions): void;
  attachLink(link: SessionLink): void;
  detachLink(link: SessionLink): void;
}

export interface SessionLink {
  readonly mode: SessionMode;
  /** A received audio packet of `from` (packet path). */
  onAudioPacket(from: LinkedSession, v: RtpPacketView, nowMs: number): void;
  /** A received telephone-event packet of `from` (packet path). */
  onEventPacket(from: LinkedSession, v: RtpPacketView, nowMs: number): void;
  /** A digit `from` received (any source). */
  onDigit(from: LinkedSession, digit: DtmfSignal, durationMs: number, source: DtmfSource): void;
  /** After `from`'s receive phase: its decoded tick (zeros when `audio` is false). */
  afterReceive(from: LinkedSession, frame: Int16Array, audio: boolean): void;
  /** `to`'s outgoing tick, written into `out` (tick samples at `to`'s rate). */
  produce(to: LinkedSession, out: Int16Array, nowMs: number): LinkOutput;
  /** Whether `s` must decode what it receives for this link. */
  needsDecode(s: LinkedSession): boolean;
  /** `s` was reconfigured (codec, rate, telephone-event). Throwing detaches the link. */
  reconfigured(s: LinkedSession): void;
  /** `s` is closing: the link ends. */
  detach(s: LinkedSession): void;
}
