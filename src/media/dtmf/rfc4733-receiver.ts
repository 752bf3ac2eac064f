/**
 * RFC 4733 telephone-event receiver (section 2.5.2): turns a stream of event packets into one report
 * per event, whatever was duplicated, reordered or lost.
 *
 * An event is identified by its RTP timestamp (every packet of an event carries the event's start
 * timestamp, section 2.5.1). The report carries the longest duration seen. An event ends when: a
 * packet with the E bit arrives; a packet of a newer event arrives (its end packets were lost); or
 * no packet came for `timeoutMs` (tick()). A first packet without the marker
 * bit, or with a duration already past zero, still starts an event (its start packets were lost).
 * Packets of an event already reported, or older than the newest event, are ignored: retransmitted
 * end packets (section 2.5.1.4) therefore never report twice. A same-event packet whose timestamp is
 * exactly 0xFFFF after the current segment continues a long event (section 2.5.1.3).
 *
 * Time is given by the caller (push(), tick()); the receiver owns no timer.
 */
import type { DtmfDigit } from './digits.ts';
import { eventToDigit } from './digits.ts';
import { DtmfError } from './dtmf-error.ts';
import { MAX_SEGMENT_DURATION, decodeTelephoneEvent } from './rfc4733.ts';

/** How an event was closed. */
export type EventEnd = 'end' | 'new-event' | 'timeout' | 'flush';

/** One received event, reported once. */
export interface ReceivedEvent {
  event: number;
  /** The DTMF digit of events 0-15; undefined for flash (16) and other events. */
  digit: DtmfDigit | undefined;
  /** RTP timestamp of the event start. */
  timestamp: number;
  /** Longest duration seen, in timestamp units (segments of long events added up). */
  duration: number;
  durationMs: number;
  volume: number;
  endedBy: EventEnd;
}

/** Announced when the first packet of an event arrives. */
export interface EventStart {
  event: number;
  digit: DtmfDigit | undefined;
  timestamp: number;
}

/** The parts of an RTP packet the receiver needs. */
export interface TelephoneEventRtp {
  timestamp: number;
  marker?: boolean;
  payload: Uint8Array;
}

export interface Rfc4733ReceiverOptions {
  /** Called once per event. */
  onEvent: (ev: ReceivedEvent) => void;
  /** Called when an event starts (before its duration is known). */
  onStart?: (ev: EventStart) => void;
  /** RTP clock rate of the telephone-event format; 8000 unless given. */
  clockRate?: number;
  /** Silence after which an event without end packet is closed; 400 ms unless given. */
  timeoutMs?: number;
  /** Finished event timestamps remembered against late duplicates; 16 unless given. */
  history?: number;
}

/** True when uint32 timestamp `a` is after `b` (RFC 3550 section A.1 serial arithmetic). */
function isAfter(a: number, b: number): boolean {
  const d = (a - b) >>> 0;
  return d !== 0 && d < 0x80000000;
}

export class Rfc4733Receiver {
  readonly #onEvent: (ev: ReceivedEvent) => void;
  readonly #onStart: ((ev: EventStart) => void) | undefined;
  readonly #clockRate: number;
  readonly #timeoutMs: number;
  /** Ring of finished event timestamps. */
  readonly #done: Uint32Array;
  #doneCount = 0;
  #doneNext = 0;
  /** Newest event timestamp seen, if any. */
  #newest: number | undefined;
  // The open event.
  #open = false;
  #event = 0;
  #timestamp = 0;
  #segmentTimestamp = 0;
  #segmentBase = 0;
  #segmentDuration = 0;
  #volume = 0;
  #lastPacketAt = 0;

  constructor(opts: Rfc4733ReceiverOptions) {
    this.#onEvent = opts.onEvent;
    this.#onStart = opts.onStart;
    this.#clockRate = opts.clockRate ?? 8000;
    this.#timeoutMs = opts.timeoutMs ?? 400;
    const history = opts.history ?? 16;
    if (!Number.isInteger(this.#clockRate) || this.#clockRate <= 0) {
      throw new DtmfError('MEDIA_DTMF_OPTIONS', `clock rate ${this.#clockRate} is not a positive integer`);
    }
    if (!(this.#timeoutMs > 0) || !Number.isInteger(history) || history < 1) {
      throw new DtmfError('MEDIA_DTMF_OPTIONS', 'timeoutMs and history must be positive');
    }
    this.#done = new Uint32Array(history);
  }

  /** True while an event is open (started, not yet reported). */
  get active(): boolean {
    return this.#open;
  }

  /** Feeds one telephone-event RTP packet received at `nowMs`. Malformed payloads are ignored. */
  push(packet: TelephoneEventRtp, nowMs: number): void {
    const ev = decodeTelephoneEvent(packet.payload);
    if (!ev) return;
    const ts = packet.timestamp >>> 0;

    if (this.#open && ts === this.#segmentTimestamp) {
      this.#update(ev.duration, ev.volume, nowMs);
      if (ev.end) this.#onEvent(this.#finish('end'));
      return;
    }
    if (
      this.#open &&
      ev.event === this.#event &&
      !packet.marker &&
      ((ts - this.#segmentTimestamp) >>> 0) === MAX_SEGMENT_DURATION
    ) {
      // The next segment of a long event.
      this.#remember(this.#segmentTimestamp);
      this.#segmentBase += MAX_SEGMENT_DURATION;
      this.#segmentTimestamp = ts;
      this.#segmentDuration = 0;
      this.#newest = ts;
      this.#update(ev.duration, ev.volume, nowMs);
      if (ev.end) this.#onEvent(this.#finish('end'));
      return;
    }
    if (this.#isFinished(ts)) return;
    if (this.#newest !== undefined && !isAfter(ts, this.#newest)) return;

    // State is settled before any callback runs, so a throwing listener cannot corrupt it.
    const previous = this.#open ? this.#finish('new-event') : undefined;
    this.#open = true;
    this.#event = ev.event;
    this.#timestamp = ts;
    this.#segmentTimestamp = ts;
    this.#segmentBase = 0;
    this.#segmentDuration = 0;
    this.#newest = ts;
    this.#update(ev.duration, ev.volume, nowMs);
    const ended = ev.end ? this.#finish('end') : undefined;
    if (previous) this.#onEvent(previous);
    this.#onStart?.({ event: ev.event, digit: eventToDigit(ev.event), timestamp: ts });
    if (ended) this.#onEvent(ended);
  }

  /** Closes an open event whose packets stopped `timeoutMs` ago. Call it on every media tick. */
  tick(nowMs: number): void {
    if (this.#open && nowMs - this.#lastPacketAt >= this.#timeoutMs) this.#onEvent(this.#finish('timeout'));
  }

  /** Closes and reports an open event now (the stream is going away). */
  flush(): void {
    if (this.#open) this.#onEvent(this.#finish('flush'));
  }

  /** Forgets everything without reporting. */
  reset(): void {
    this.#open = false;
    this.#newest = undefined;
    this.#doneCount = 0;
    this.#doneNext = 0;
  }

  #update(duration: number, volume: number, nowMs: number): void {
    if (duration > this.#segmentDuration) this.#segmentDuration = duration;
    this.#volume = volume;
    this.#lastPacketAt = nowMs;
  }

  #isFinished(ts: number): boolean {
    for (let i = 0; i < this.#doneCount; i++) if (this.#done[i] === ts) return true;
    return false;
  }

  /** Closes the open event and returns its report. */
  #finish(endedBy: EventEnd): ReceivedEvent {
    this.#open = false;
    // Earlier segment starts were remembered when their next segment began.
    this.#remember(this.#segmentTimestamp);
    const duration = this.#segmentBase + this.#segmentDuration;
    return {
      event: this.#event,
      digit: eventToDigit(this.#event),
      timestamp: this.#timestamp,
      duration,
      durationMs: (duration * 1000) / this.#clockRate,
      volume: this.#volume,
      endedBy,
    };
  }

  #remember(ts: number): void {
    this.#done[this.#doneNext] = ts;
    this.#doneNext = (this.#doneNext + 1) % this.#done.length;
    if (this.#doneCount < this.#done.length) this.#doneCount++;
  }
}

/** A receiver reporting each event once through `opts.onEvent`. */
export function createRfc4733Receiver(opts: Rfc4733ReceiverOptions): Rfc4733Receiver {
  return new Rfc4733Receiver(opts);
}
