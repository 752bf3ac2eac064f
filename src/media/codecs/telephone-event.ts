/**
 * telephone-event as a negotiated RTP format (RFC 4733 section 2.1 and 7.1: "telephone-event/8000"
 * with an "events" fmtp, DTMF 0-15 when it is absent). It carries no audio, so it is a descriptor and
 * not a Codec; the packets themselves are built and read by media/dtmf.
 */
import type { Codec, CodecOptions } from './codec.ts';
import { DEFAULT_PTIME, checkPayloadType } from './codec.ts';
import { CodecError } from './codec-error.ts';

/** Conventional dynamic payload type for telephone-event. */
export const TELEPHONE_EVENT_PAYLOAD_TYPE = 101;
/** Events offered when nothing else is configured: DTMF 0-15 and flash (RFC 4733 section 3.2). */
export const DEFAULT_TELEPHONE_EVENTS = '0-16';

export interface TelephoneEventFormat {
  readonly kind: 'event';
  readonly name: 'telephone-event';
  readonly payloadType: number;
  /** RTP clock rate of the events; the audio stream's rate (RFC 4733 section 2.1). */
  readonly clockRate: number;
  readonly channels: 1;
  /** Packetization interval of event updates in ms. */
  readonly ptime: number;
  /** The "events" fmtp value, e.g. "0-16". */
  readonly events: string;
  /** True when `event` is in `events`. */
  supports(event: number): boolean;
  close(): void;
}

/** A negotiated format: audio codec or telephone-event. */
export type MediaCodec = Codec | TelephoneEventFormat;

/** Parses an RFC 4733 "events" list ("0-15,66,70") into a membership test; undefined if malformed. */
export function parseEventList(events: string): ((event: number) => boolean) | undefined {
  const ranges: [number, number][] = [];
  for (const part of events.split(',')) {
    const m = /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(part.trim());
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > 255 || hi > 255 || hi < lo) return undefined;
    ranges.push([lo, hi]);
  }
  return (event) => ranges.some(([lo, hi]) => event >= lo && event <= hi);
}

/** The telephone-event format (8000 Hz and events 0-16 unless the options say otherwise). */
export function createTelephoneEvent(opts: CodecOptions = {}): TelephoneEventFormat {
  const events = opts.fmtp?.events ?? DEFAULT_TELEPHONE_EVENTS;
  const supports = parseEventList(events);
  if (!supports) throw new CodecError('MEDIA_CODEC_OPTIONS', `telephone-event: malformed events list "${events}"`);
  const clockRate = opts.sampleRate ?? 8000;
  if (!Number.isInteger(clockRate) || clockRate <= 0) {
    throw new CodecError('MEDIA_CODEC_OPTIONS', `telephone-event: unusable rate ${clockRate}`);
  }
  return {
    kind: 'event',
    name: 'telephone-event',
    payloadType: checkPayloadType('telephone-event', opts.payloadType ?? TELEPHONE_EVENT_PAYLOAD_TYPE),
    clockRate,
    channels: 1,
    ptime: opts.ptime ?? DEFAULT_PTIME,
    events,
    supports,
    close() {},
  };
}
