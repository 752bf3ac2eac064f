/**
 * Incoming DTMF of a session from three places, reported once per digit with its duration: RFC 4733
 * telephone-events (section 2.5.2, through Rfc4733Receiver: duplicates and the three end packets report
 * once), in-band tones found by the Goertzel detector in the decoded audio (used when no
 * telephone-event is negotiated), and digits the signalling received (SIP INFO) injected by the caller.
 */
import {
  createDtmfDetector,
  createRfc4733Receiver,
  type DtmfDetector,
  type DtmfDigit,
  type ReceivedEvent,
  type Rfc4733Receiver,
  type TelephoneEventRtp,
} from '../dtmf/index.ts';
import type { RtpPacketView } from '../rtp/index.ts';

export type DtmfSource = 'rfc4733' | 'inband' | 'info';
/** A DTMF digit, or hook flash (RFC 4733 event 16). */
export type DtmfSignal = DtmfDigit | 'flash';

export type DigitHandler = (digit: DtmfSignal, durationMs: number, source: DtmfSource) => void;

const FLASH = 16;

export class DtmfInbound {
  readonly #onDigit: DigitHandler;
  #receiver: Rfc4733Receiver;
  #receiverRate: number;
  #detector: DtmfDetector | undefined;
  #detecting = false;
  readonly #packet: TelephoneEventRtp = { timestamp: 0, marker: false, payload: new Uint8Array(4) };

  constructor(onDigit: DigitHandler, eventClockRate: number) {
    this.#onDigit = onDigit;
    this.#receiverRate = eventClockRate;
    this.#receiver = this.#newReceiver(eventClockRate);
  }

  /** The event clock rate and whether (at which PCM rate) in-band detection runs; undefined: none. */
  configure(eventClockRate: number, inbandRate: number | undefined): void {
    if (eventClockRate !== this.#receiverRate) {
      this.#receiver.flush();
      this.#receiver = this.#newReceiver(eventClockRate);
      this.#receiverRate = eventClockRate;
    }
    if (inbandRate === undefined) {
      this.#detector?.flush();
      this.#detector = undefined;
    } else if (!this.#detector || this.#detector.sampleRate !== inbandRate) {
      this.#detector?.flush();
      this.#detector = createDtmfDetector({
        sampleRate: inbandRate,
        onDigit: () => {},
        onDigitEnd: (d) => this.#onDigit(d.digit, Math.round(d.durationMs), 'inband'),
      });
    }
  }

  /** True when decoded audio must be fed to process(). */
  get inband(): boolean {
    return this.#detector !== undefined;
  }

  /** One telephone-event packet received at `nowMs`. */
  pushEvent(v: RtpPacketView, nowMs: number): void {
    if (v.payloadLength < 4) return;
    const p = this.#packet;
    const b = v.buffer;
    const o = v.payloadOffset;
    p.payload[0] = b[o]!;
    p.payload[1] = b[o + 1]!;
    p.payload[2] = b[o + 2]!;
    p.payload[3] = b[o + 3]!;
    p.timestamp = v.timestamp;
    p.marker = v.marker;
    this.#receiver.push(p, nowMs);
  }

  /** Once per tick: closes events whose end packets were lost. */
  tick(nowMs: number): void {
    this.#receiver.tick(nowMs);
  }

  /** One tick of decoded audio for in-band detection; `audio` false ends a digit in progress. */
  process(frame: Int16Array, audio: boolean): void {
    const d = this.#detector;
    if (!d) return;
    if (audio) {
      d.process(frame);
      this.#detecting = true;
    } else if (this.#detecting) {
      d.flush();
      this.#detecting = false;
    }
  }

  /** A digit the signalling received (SIP INFO). */
  inject(digit: DtmfSignal, durationMs: number): void {
    this.#onDigit(digit, durationMs, 'info');
  }

  /** Reports an event still open (the session closes). */
  flush(): void {
    this.#receiver.flush();
    this.#detector?.flush();
  }

  #newReceiver(clockRate: number): Rfc4733Receiver {
    return createRfc4733Receiver({ clockRate, onEvent: (ev) => this.#onEvent(ev) });
  }

  #onEvent(ev: ReceivedEvent): void {
    const digit: DtmfSignal | undefined = ev.digit ?? (ev.event === FLASH ? 'flash' : undefined);
    if (digit !== undefined) this.#onDigit(digit, Math.round(ev.durationMs), 'rfc4733');
  }
}
