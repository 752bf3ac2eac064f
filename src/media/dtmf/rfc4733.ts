/**
 * RFC 4733 telephone-events: the 4-octet event payload (section 2.3) and the sender's packet schedule
 * (section 2.5.1), as pure data for the RTP layer to send.
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |     event     |E|R| volume    |          duration             |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Sender rules followed: every packet of an event carries the event's start timestamp (2.5.1.1); the
 * first packet has the marker bit (2.5.1.1); updates go out every packetization interval with the
 * duration so far (2.5.1.2); the final packet has the E bit and is sent three times (2.5.1.4); an
 * event longer than 0xFFFF timestamp units is cut into segments, each new segment starting at the
 * previous start plus 0xFFFF without the marker bit (2.5.1.3).
 */
import type { DtmfDigit } from './digits.ts';
import { digitToEvent, eventToDigit } from './digits.ts';
import { DtmfError } from './dtmf-error.ts';

/** One telephone-event payload. */
export interface TelephoneEvent {
  /** Event code (0-255); 0-15 are DTMF digits, 16 is flash. */
  event: number;
  /** The E bit: this packet ends the event. */
  end: boolean;
  /** Power level in -dBm0 (0-63), meaningful for DTMF. */
  volume: number;
  /** Duration so far in timestamp units (0-65535). */
  duration: number;
}

export const TELEPHONE_EVENT_BYTES = 4;
/** Largest duration one segment can carry (section 2.5.1.3). */
export const MAX_SEGMENT_DURATION = 0xffff;

/** Writes an event payload into `out` at `offset`; returns 4. */
export function encodeTelephoneEvent(ev: TelephoneEvent, out: Uint8Array, offset = 0): number {
  if (!Number.isInteger(ev.event) || ev.event < 0 || ev.event > 255) {
    throw new DtmfError('MEDIA_DTMF_EVENT', `event code ${ev.event} is not 0-255`);
  }
  if (!Number.isInteger(ev.volume) || ev.volume < 0 || ev.volume > 63) {
    throw new DtmfError('MEDIA_DTMF_OPTIONS', `volume ${ev.volume} is not 0-63`);
  }
  if (!Number.isInteger(ev.duration) || ev.duration < 0 || ev.duration > MAX_SEGMENT_DURATION) {
    throw new DtmfError('MEDIA_DTMF_OPTIONS', `duration ${ev.duration} is not 0-65535`);
  }
  if (out.length < offset + TELEPHONE_EVENT_BYTES) {
    throw new DtmfError('MEDIA_DTMF_OPTIONS', 'telephone-event payload needs 4 octets');
  }
  out[offset] = ev.event;
  out[offset + 1] = (ev.end ? 0x80 : 0) | ev.volume;
  out[offset + 2] = ev.duration >> 8;
  out[offset + 3] = ev.duration & 0xff;
  return TELEPHONE_EVENT_BYTES;
}

/** Reads the event payload at the start of `payload`; undefined when it is shorter than 4 octets. */
export function decodeTelephoneEvent(payload: Uint8Array): TelephoneEvent | undefined {
  if (payload.length < TELEPHONE_EVENT_BYTES) return undefined;
  return {
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

/** One packet the RTP layer sends for an event, at one packetization tick. */
export interface TelephoneEventPacket {
  /** RTP timestamp: the start of the event's current segment (uint32). */
  timestamp: number;
  /** RTP marker bit: set on the first packet of the event only. */
  marker: boolean;
  /** The 4-octet payload. */
  payload: Uint8Array;
  event: number;
  end: boolean;
  /** Duration field of this packet in timestamp units. */
  duration: number;
}

export interface Rfc4733SenderOptions {
  /** A DTMF digit ('0'-'9', '*', '#', 'A'-'D', a-d accepted) or an event code 0-255. */
  event: DtmfDigit | string | number;
  /** Length of the event in ms; at least one packetization interval is sent. */
  durationMs: number;
  /** RTP timestamp at which the event starts (the audio stream's current timestamp). */
  startTimestamp: number;
  /** RTP clock rate of the telephone-event format; 8000 unless given. */
  clockRate?: number;
  /** Packetization interval of updates in ms; 20 unless given. */
  intervalMs?: number;
  /** Power level in -dBm0 (0-63); 10 unless given. */
  volume?: number;
  /** How many times the final packet is sent; 3 unless given. */
  endRepeats?: number;
}

/** Event code of a digit or code given by a caller; throws MEDIA_DTMF_EVENT when it is neither. */
export function toEventCode(event: DtmfDigit | string | number): number {
  const code = typeof event === 'number' ? event : digitToEvent(event);
  if (code === undefined || !Number.isInteger(code) || code < 0 || code > 255) {
    throw new DtmfError('MEDIA_DTMF_EVENT', `"${String(event)}" is not a DTMF digit or event code`);
  }
  return code;
}

/**
 * The packet schedule of one event. Call next() once per packetization interval, starting at the
 * event's start time; it returns undefined when the event and its end retransmissions are done.
 */
export class Rfc4733Sender {
  readonly event: number;
  /** The event's digit, when it is one. */
  readonly digit: DtmfDigit | undefined;
  readonly startTimestamp: number;
  readonly interval: number;
  readonly volume: number;
  readonly endRepeats: number;
  #total: number;
  /** Duration reached so far, from the event start. */
  #elapsed = 0;
  /** Offset of the current segment from the event start. */
  #segment = 0;
  #first = true;
  #endsSent = 0;

  constructor(opts: Rfc4733SenderOptions) {
    const clockRate = opts.clockRate ?? 8000;
    const intervalMs = opts.intervalMs ?? 20;
    if (!Number.isInteger(clockRate) || clockRate <= 0) {
      throw new DtmfError('MEDIA_DTMF_OPTIONS', `clock rate ${clockRate} is not a positive integer`);
    }
    const interval = Math.round((intervalMs * clockRate) / 1000);
    if (!Number.isFinite(intervalMs) || interval < 1 || interval > MAX_SEGMENT_DURATION) {
      throw new DtmfError('MEDIA_DTMF_OPTIONS', `packetization interval ${intervalMs} ms is unusable`);
    }
    if (!Number.isFinite(opts.durationMs) || opts.durationMs < 0) {
      throw new DtmfError('MEDIA_DTMF_OPTIONS', `duration ${opts.durationMs} ms is unusable`);
    }
    const endRepeats = opts.endRepeats ?? 3;
    if (!Number.isInteger(endRepeats) || endRepeats < 1) {
      throw new DtmfError('MEDIA_DTMF_OPTIONS', `endRepeats ${endRepeats} is not a positive integer`);
    }
    this.event = toEventCode(opts.event);
    this.digit = eventToDigit(this.event);
    this.startTimestamp = opts.startTimestamp >>> 0;
    this.interval = interval;
    this.volume = opts.volume ?? 10;
    if (!Number.isInteger(this.volume) || this.volume < 0 || this.volume > 63) {
      throw new DtmfError('MEDIA_DTMF_OPTIONS', `volume ${this.volume} is not 0-63`);
    }
    this.endRepeats = endRepeats;
    this.#total = Math.max(interval, Math.round((opts.durationMs * clockRate) / 1000));
  }

  /** Total duration of the event in timestamp units (the audio timestamp skips this much). */
  get totalDuration(): number {
    return this.#total;
  }

  /** True when every packet, end retransmissions included, has been produced. */
  get done(): boolean {
    return this.#endsSent >= this.endRepeats;
  }

  /** Ends the event early (the key was released): the next packets are the end packets. */
  stop(): void {
    if (this.#endsSent === 0) this.#total = Math.max(this.#elapsed, this.interval);
  }

  /** The packet for the next packetization tick, or undefined when done. */
  next(): TelephoneEventPacket | undefined {
    if (this.done) return undefined;
    if (this.#endsSent === 0) {
      const target = Math.min(this.#elapsed + this.interval, this.#total);
      if (target - this.#segment > MAX_SEGMENT_DURATION && this.#elapsed - this.#segment < MAX_SEGMENT_DURATION) {
        // Close the current segment at its largest duration; the next tick opens a new one.
        this.#elapsed = this.#segment + MAX_SEGMENT_DURATION;
        return this.#packet(MAX_SEGMENT_DURATION, false);
      }
      if (this.#elapsed - this.#segment >= MAX_SEGMENT_DURATION) this.#segment += MAX_SEGMENT_DURATION;
      this.#elapsed = target;
    }
    const end = this.#elapsed >= this.#total;
    if (end) this.#endsSent++;
    return this.#packet(this.#elapsed - this.#segment, end);
  }

  /** The remaining packets in tick order (for tests and batch senders). */
  drain(): TelephoneEventPacket[] {
    const out: TelephoneEventPacket[] = [];
    for (let p = this.next(); p; p = this.next()) out.push(p);
    return out;
  }

  #packet(duration: number, end: boolean): TelephoneEventPacket {
    const payload = new Uint8Array(TELEPHONE_EVENT_BYTES);
    encodeTelephoneEvent({ event: this.event, end, volume: this.volume, duration }, payload);
    const marker = this.#first;
    this.#first = false;
    return {
      timestamp: (this.startTimestamp + this.#segment) >>> 0,
      marker,
      payload,
      event: this.event,
      end,
      duration,
    };
  }
}

/** A sender for one event (see Rfc4733Sender). */
export function createRfc4733Sender(opts: Rfc4733SenderOptions): Rfc4733Sender {
  return new Rfc4733Sender(opts);
}
