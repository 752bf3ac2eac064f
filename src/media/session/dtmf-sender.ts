/**
 * Outgoing DTMF of a session: a queue of digits played one per media tick step, as RFC 4733 events when
 * telephone-event is negotiated (every packet of an event carries its start timestamp, the first one
 * the marker bit, updates every tick with the duration so far, the end packet three times; section
 * 2.5.1) or as ITU-T Q.23 tone pairs in the audio otherwise. While a digit sounds it replaces the audio
 * (RFC 4733 section 2.5.1.1: the audio timestamp keeps advancing under the event); between digits the
 * audio resumes. 'w' waits 500 ms and 'W' one second, as dial strings do.
 */
import { Rfc4733Sender, dtmfToneGenerator, toDtmfDigit, type DtmfDigit, type TelephoneEventPacket, type ToneGenerator } from '../dtmf/index.ts';
import { MediaSessionError } from './session-error.ts';

export interface DtmfSendOptions {
  /** Tone or event length per digit (default 100 ms, at least 40). */
  durationMs?: number;
  /** Pause after each digit (default 100 ms). */
  interDigitMs?: number;
}

/** What the sender needs from the stream it writes into. */
export interface DtmfOutput {
  /** Timestamp at which an event starting now begins (the next audio frame's). */
  eventTimestamp(): number;
  sendEvent(packet: TelephoneEventPacket): void;
}

interface Step {
  readonly digit: DtmfDigit | undefined;
  readonly durationMs: number;
  readonly gapMs: number;
  /** The digits of the batch, on its last step. */
  readonly batchEnd: string | undefined;
}

/** 'none': send the normal audio; 'event': events were sent, skip the audio; 'tone': the frame holds a tone. */
export type DtmfTickResult = 'none' | 'event' | 'tone';

export class DtmfSender {
  #steps: Step[] = [];
  #event: Rfc4733Sender | undefined;
  #tone: ToneGenerator | undefined;
  #current: Step | undefined;
  #waitMs = 0;
  readonly #onBatchDone: (digits: string) => void;
  /** Digits sent (events or tones), over the session's life. */
  sent = 0;

  constructor(onBatchDone: (digits: string) => void) {
    this.#onBatchDone = onBatchDone;
  }

  /** True while a digit sounds or digits wait. */
  get busy(): boolean {
    return this.#current !== undefined || this.#steps.length > 0 || this.#waitMs > 0;
  }

  /** True while a digit sounds (the audio is replaced). */
  get sounding(): boolean {
    return this.#event !== undefined || this.#tone !== undefined;
  }

  /** Queues digits (0-9 * # A-D, w, W); throws MEDIA_SESSION_DTMF on anything else. */
  enqueue(digits: string, options: DtmfSendOptions = {}): void {
    const durationMs = Math.max(40, options.durationMs ?? 100);
    const gapMs = Math.max(0, options.interDigitMs ?? 100);
    if (!Number.isFinite(durationMs) || durationMs > 10_000 || !Number.isFinite(gapMs)) {
      throw new MediaSessionError('MEDIA_SESSION_DTMF', 'unusable DTMF duration or gap');
    }
    const steps: Step[] = [];
    for (const ch of digits) {
      if (ch === 'w' || ch === 'W') {
        steps.push({ digit: undefined, durationMs: ch === 'w' ? 500 : 1000, gapMs: 0, batchEnd: undefined });
        continue;
      }
      const digit = toDtmfDigit(ch);
      if (digit === undefined) throw new MediaSessionError('MEDIA_SESSION_DTMF', `"${ch}" is not a DTMF digit`);
      steps.push({ digit, durationMs, gapMs, batchEnd: undefined });
    }
    if (steps.length === 0) return;
    const last = steps[steps.length - 1]!;
    steps[steps.length - 1] = { ...last, batchEnd: digits };
    this.#steps.push(...steps);
  }

  /** Drops queued digits; a digit sounding is ended properly (its end packets still go out). */
  clear(): void {
    this.#steps = [];
    this.#event?.stop();
  }

  /**
   * One media tick of `tickMs`. With `eventPt` >= 0 digits go out as RFC 4733 events at `eventClockRate`
   * through `output`; otherwise tones at `sampleRate` are written into `frame`.
   */
  tick(frame: Int16Array, tickMs: number, sampleRate: number, eventPt: number, eventClockRate: number, output: DtmfOutput): DtmfTickResult {
    if (this.#waitMs > 0) {
      this.#waitMs -= tickMs;
      if (this.#waitMs > 0) return 'none';
      this.#waitMs = 0;
    }
    if (!this.#current) {
      const step = this.#steps.shift();
      if (!step) return 'none';
      if (step.digit === undefined) {
        this.#waitMs = step.durationMs - tickMs;
        if (step.batchEnd !== undefined) this.#onBatchDone(step.batchEnd);
        return 'none';
      }
      this.#current = step;
      if (eventPt >= 0) {
        this.#event = new Rfc4733Sender({
          event: step.digit,
          durationMs: step.durationMs,
          startTimestamp: output.eventTimestamp(),
          clockRate: eventClockRate,
          intervalMs: tickMs,
        });
      } else {
        this.#tone = dtmfToneGenerator(step.digit, { sampleRate, durationMs: step.durationMs });
      }
    }
    if (this.#event) {
      let p = this.#event.next();
      if (p) output.sendEvent(p);
      if (!p || p.end) {
        // The end packet goes out three times (RFC 4733 2.5.1.4), back to back.
        for (p = this.#event.next(); p; p = this.#event.next()) output.sendEvent(p);
        this.#digitDone();
      }
      return 'event';
    }
    if (this.#tone) {
      const n = this.#tone.fill(frame);
      if (n < frame.length) frame.fill(0, n);
      if (this.#tone.done) this.#digitDone();
      return 'tone';
    }
    return 'none';
  }

  #digitDone(): void {
    const step = this.#current!;
    this.#current = undefined;
    this.#event = undefined;
    this.#tone = undefined;
    this.sent++;
    this.#waitMs = step.gapMs;
    if (step.batchEnd !== undefined) this.#onBatchDone(step.batchEnd);
  }
}
