/**
 * The receiving half of a media session: per received packet (RFC 3550) the audio goes into the jitter
 * buffer while something needs it decoded and telephone-events go to the RFC 4733 receiver; per tick
 * one tick of audio is pulled and decoded, then in-band DTMF and talk detection look at it. The tick's
 * audio (rxFrame, zeros when rxAudio is false) is what recorders, taps, bridges and mixers read.
 */
import type { Codec } from '../codecs/index.ts';
import type { TalkDetectionOptions } from '../mixer.ts';
import type { RtpPacketView } from '../rtp/index.ts';
import { DtmfInbound, type DigitHandler } from './dtmf-inbound.ts';
import { ReceivePath, type JitterBufferSettings } from './receive-path.ts';
import { TalkDetector } from './talk-detector.ts';

export class SessionInput {
  rxFrame: Int16Array;
  rxAudio = false;
  /** What the party says is muted: the tick's audio is silence for everything that reads it (digits still pass). */
  muted = false;
  readonly dtmf: DtmfInbound;
  // Counters: audio and telephone-event packets, other payload types, packets ignored (not receiving).
  audioIn = 0;
  eventsIn = 0;
  otherIn = 0;
  ignoredIn = 0;
  #receive: ReceivePath;
  #decoding = false;
  readonly #tickMs: number;
  readonly #jb: JitterBufferSettings;
  readonly #talk: TalkDetector | undefined;

  constructor(
    codec: Codec,
    tickSamples: number,
    tickMs: number,
    jb: JitterBufferSettings,
    onDigit: DigitHandler,
    eventClockRate: number,
    talk: { options: TalkDetectionOptions; onChange: (talking: boolean, level: number) => void } | undefined,
  ) {
    this.#tickMs = tickMs;
    this.#jb = jb;
    this.rxFrame = new Int16Array(tickSamples);
    this.#receive = new ReceivePath(codec, tickMs, jb);
    this.dtmf = new DtmfInbound(onDigit, eventClockRate);
    this.#talk = talk ? new TalkDetector(talk.options, tickMs, talk.onChange) : undefined;
  }

  /** True when this half itself needs decoded audio (in-band DTMF, talk detection). */
  get wantsAudio(): boolean {
    return this.dtmf.inband || this.#talk !== undefined;
  }

  get path(): ReceivePath {
    return this.#receive;
  }

  /** A new codec (re-INVITE): a new jitter buffer and decoder. */
  setCodec(codec: Codec, tickSamples: number): void {
    if (tickSamples !== this.rxFrame.length) this.rxFrame = new Int16Array(tickSamples);
    this.rxFrame.fill(0);
    this.rxAudio = false;
    this.#receive = new ReceivePath(codec, this.#tickMs, this.#jb);
    this.#decoding = false;
  }

  /** One received audio packet (queued only while decoding). */
  audio(v: RtpPacketView, nowMs: number): void {
    this.audioIn++;
    if (this.#decoding) this.#receive.insert(v, nowMs);
  }

  /** One received telephone-event packet. */
  event(v: RtpPacketView, nowMs: number): void {
    this.eventsIn++;
    this.dtmf.pushEvent(v, nowMs);
  }

  /** The receive phase of a tick; `decode` says whether anything needs the audio. */
  tick(nowMs: number, decode: boolean): void {
    if (decode !== this.#decoding) {
      this.#decoding = decode;
      if (!decode) this.#receive.reset();
    }
    this.dtmf.tick(nowMs);
    if (decode) {
      this.rxAudio = this.#receive.pull(nowMs, this.rxFrame);
      this.dtmf.process(this.rxFrame, this.rxAudio);
      this.#talk?.process(this.rxFrame, this.rxAudio);
      if (this.muted && this.rxAudio) {
        this.rxAudio = false;
        this.rxFrame.fill(0);
      }
    } else if (this.rxAudio) {
      this.rxAudio = false;
      this.rxFrame.fill(0);
    }
  }
}
