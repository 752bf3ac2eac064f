/**
 * The sending half of a media session. Each tick it decides what the party hears, by priority: a DTMF
 * digit (RFC 4733 events when telephone-event is negotiated, tones otherwise), the playback, what the
 * link gives (a bridge peer's audio, a conference mix, or relayed packets), or silence, sent to keep
 * NAT bindings and the far end's playout going (or not, by configuration); overlay tracks (jambonz dub,
 * overlay-mix.ts) are added on top of all but a digit, after the output gain (jambonz boostAudioSignal,
 * output-gain.ts) scaled the rest. Without 'send' in our
 * direction (RFC 3264 section 6.1) nothing is sent and the timestamp keeps running (RFC 3550 5.1).
 *
 * Relayed packets come in through relayIn() from the packet path of the linked leg. A prompt or a
 * digit takes the stream over: relayed packets are dropped meanwhile, and for the rest of the tick slot
 * of its last frame so that slot is not sent twice. When a relayed stream goes quiet (the peer stopped
 * sending) the session's own silence fills in after relayIdleMs.
 */
import type { Codec } from '../codecs/index.ts';
import type { TelephoneEventPacket } from '../dtmf/index.ts';
import type { RtpPacketView } from '../rtp/index.ts';
import { DtmfSender, type DtmfOutput } from './dtmf-sender.ts';
import { OutboundStream } from './outbound-stream.ts';
import { Packetizer } from './packetizer.ts';
import { OverlayMix } from './overlay-mix.ts';
import { applyGain, outputGainFactor } from './output-gain.ts';
import { Player, type PlayerCallbacks } from './player.ts';
import type { RtpTransportPort } from './rtp-transport.ts';
import type { ResolvedConfig } from './session-config.ts';
import type { LinkedSession, LinkOutput, SessionLink } from './session-link.ts';

export interface OutputOptions {
  silence: boolean;
  relayIdleMs: number;
  player: PlayerCallbacks;
  onDtmfSent: (digits: string) => void;
}

export class SessionOutput {
  /** This tick's outgoing audio (what the party hears; zeros for silence), for recorders and taps. */
  txFrame: Int16Array;
  readonly outbound: OutboundStream;
  readonly player: Player;
  readonly dtmf: DtmfSender;
  /** Overlay tracks (jambonz dub) mixed into what the party hears. */
  readonly overlay: OverlayMix;
  #packetizer: Packetizer;
  #codec: Codec;
  #cfg: ResolvedConfig;
  readonly #tickMs: number;
  readonly #silence: boolean;
  readonly #relayIdleMs: number;
  /** Since when the link has been relaying (the idle fill waits relayIdleMs from there too). */
  #relayFrom = -Infinity;
  #lastOutput: LinkOutput | 'event' = 'silence';
  /** A prompt or digit took this tick's slot: relayed packets arriving before this time are dropped. */
  #overrideUntil = -Infinity;
  #now = 0;
  /** Linear gain of what the party hears (output-gain.ts); 1: none. */
  #gain = 1;

  constructor(port: RtpTransportPort, codec: Codec, cfg: ResolvedConfig, tickSamples: number, tickMs: number, options: OutputOptions) {
    this.#codec = codec;
    this.#cfg = cfg;
    this.#tickMs = tickMs;
    this.#silence = options.silence;
    this.#relayIdleMs = options.relayIdleMs;
    this.txFrame = new Int16Array(tickSamples);
    this.outbound = new OutboundStream(port, cfg.sendPt, codec.clockRate, codec.timestampIncrement, cfg.ptime, tickMs);
    this.#packetizer = new Packetizer(codec, this.outbound, tickMs);
    this.player = new Player(codec.sampleRate, tickSamples, options.player);
    this.dtmf = new DtmfSender(options.onDtmfSent);
    this.overlay = new OverlayMix(codec.sampleRate, tickSamples, options.player);
  }

  /** True while an output gain other than 0 dB applies (relayed packets are then decoded and scaled). */
  get boosted(): boolean {
    return this.#gain !== 1;
  }

  /** Sets the gain of what the party hears, in dB (0: none); throws MEDIA_SESSION_CONFIG out of range. */
  setGainDb(db: number): void {
    this.#gain = outputGainFactor(db);
  }

  get encodeErrors(): number {
    return this.#packetizer.encodeErrors;
  }

  /** New negotiated data; with `codec`, a new format (the stream's numbering continues). */
  configure(cfg: ResolvedConfig, codec: Codec | undefined, tickSamples: number, nowMs: number): void {
    this.#cfg = cfg;
    if (!codec) return;
    this.#codec = codec;
    if (tickSamples !== this.txFrame.length) this.txFrame = new Int16Array(tickSamples);
    this.outbound.configure(cfg.sendPt, codec.clockRate, codec.timestampIncrement, cfg.ptime, nowMs);
    this.#packetizer = new Packetizer(codec, this.outbound, this.#tickMs);
    this.player.setFormat(codec.sampleRate, tickSamples);
    this.overlay.setFormat(codec.sampleRate, tickSamples);
  }

  /** A link starts: a partial packet of ours is dropped. */
  linkChanged(): void {
    this.#packetizer.reset();
  }

  /** A packet of the linked leg, relayed into our stream; false when dropped. */
  relayIn(v: RtpPacketView, audio: boolean, nowMs: number): boolean {
    const cfg = this.#cfg;
    if (!cfg.send || this.player.active || this.dtmf.sounding || this.overlay.active || this.#gain !== 1 || nowMs < this.#overrideUntil) return false;
    const pt = audio ? cfg.sendPt : cfg.teSendPt;
    if (pt < 0) return false;
    if (!this.outbound.relaying) this.#packetizer.reset();
    return this.outbound.relay(v, pt, audio, nowMs);
  }

  /** The send phase of a tick. */
  tick(nowMs: number, link: SessionLink | undefined, session: LinkedSession): void {
    this.#now = nowMs;
    const cfg = this.#cfg;
    const tx = this.txFrame;
    let out: LinkOutput | 'event' = 'silence';
    let override = false;
    let digit = false;
    if (this.dtmf.busy) {
      const d = this.dtmf.tick(tx, this.#tickMs, this.#codec.sampleRate, cfg.teSendPt, cfg.teClockRate, this.#dtmfOutput);
      if (d !== 'none') {
        out = d === 'event' ? 'event' : 'audio';
        override = true;
        digit = true;
      }
    }
    if (!override) {
      if (this.player.active && this.player.fill(tx)) {
        out = 'audio';
        override = true;
      } else if (link) {
        out = link.produce(session, tx, nowMs);
      }
    }
    // An output gain scales what the party hears but a digit; a relayed stream is decoded for it (hasFeeds).
    if (!digit && this.#gain !== 1 && out !== 'silence') {
      if (out === 'relay') out = 'audio';
      applyGain(tx, this.#gain);
    }
    // Overlay tracks are added to what the party hears (not to a digit); over a relayed stream they
    // need the peer's decoded audio, which the frame holds while they sound (hasFeeds).
    if (!digit && this.overlay.active) {
      if (out === 'silence') tx.fill(0);
      if (this.overlay.mix(tx)) {
        out = 'audio';
        override = true;
      }
    }
    // A prompt frame or a digit takes this tick's slot until mid-tick: a packet relayed into it would double it.
    if (override) this.#overrideUntil = nowMs + this.#tickMs / 2;
    const p = this.#packetizer;
    switch (out) {
      case 'audio':
        if (cfg.send) p.send(tx, nowMs);
        else p.skip(nowMs);
        break;
      case 'relay':
        if (this.#lastOutput !== 'relay') this.#relayFrom = nowMs;
        if (!cfg.send) p.skip(nowMs);
        else if (nowMs - Math.max(this.outbound.lastRelayMs, this.#relayFrom) >= this.#relayIdleMs) this.#sendSilence(nowMs);
        break;
      case 'event':
        tx.fill(0);
        p.skip(nowMs);
        break;
      default:
        tx.fill(0);
        if (cfg.send) this.#sendSilence(nowMs);
        else p.skip(nowMs);
    }
    this.#lastOutput = out;
  }

  close(): void {
    this.player.close();
    this.overlay.close();
    this.dtmf.clear();
  }

  #sendSilence(nowMs: number): void {
    if (this.#silence) this.#packetizer.sendSilence(nowMs);
    else this.#packetizer.skip(nowMs);
  }

  readonly #dtmfOutput: DtmfOutput = {
    eventTimestamp: () => this.outbound.localTimestamp(this.#now),
    sendEvent: (p: TelephoneEventPacket) => {
      if (this.#cfg.send) this.outbound.sendEvent(p.payload, p.timestamp, p.marker, this.#cfg.teSendPt, this.#now);
    },
  };
}
