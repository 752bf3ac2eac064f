/**
 * Payload formats this module knows: the RFC 3551 section 6 static payload types (table 4 and 5), the
 * codecs the media engine implements, and how an offered format is identified (encoding name,
 * case-insensitive per RFC 4855 section 3, clock rate and channels).
 *
 * G.722 is the RFC 3551 section 4.5.2 quirk: its RTP clock rate is 8000 in SDP although it samples at
 * 16 kHz. Opus is always `opus/48000/2` in SDP (RFC 7587 section 7). L16 (RFC 3551 section 4.5.11) is
 * supported at 8000, 16000 and 48000 mono on dynamic payload types.
 */
import type { RtpPayload } from './sdp-model.ts';

export type CodecName = 'PCMU' | 'PCMA' | 'G722' | 'L16' | 'opus';

export interface CodecDefinition {
  /** Canonical spelling written in SDP. */
  readonly name: CodecName;
  /** RTP clock rates accepted (the SDP rtpmap rate). */
  readonly clockRates: readonly number[];
  /** Clock rate used when an offer names the codec without a rate. */
  readonly defaultClockRate: number;
  /** Channel count written in rtpmap (1 is written as nothing). */
  readonly channels: number;
  /** RFC 3551 static payload type, when the codec has one at its default clock rate. */
  readonly staticPt: number | undefined;
  /** Audio sampling rate for a given RTP clock rate. */
  readonly sampleRate: (clockRate: number) => number;
}

const identity = (rate: number): number => rate;

export const CODECS: Readonly<Record<CodecName, CodecDefinition>> = {
  PCMU: { name: 'PCMU', clockRates: [8000], defaultClockRate: 8000, channels: 1, staticPt: 0, sampleRate: identity },
  PCMA: { name: 'PCMA', clockRates: [8000], defaultClockRate: 8000, channels: 1, staticPt: 8, sampleRate: identity },
  G722: { name: 'G722', clockRates: [8000], defaultClockRate: 8000, channels: 1, staticPt: 9, sampleRate: () => 16000 },
  L16: {
    name: 'L16', clockRates: [8000, 16000, 48000], defaultClockRate: 16000, channels: 1, staticPt: undefined,
    sampleRate: identity,
  },
  opus: { name: 'opus', clockRates: [48000], defaultClockRate: 48000, channels: 2, staticPt: undefined, sampleRate: identity },
};

export const TELEPHONE_EVENT = 'telephone-event';

/** Lowest and highest dynamic payload type (RFC 3551 section 6). */
export const DYNAMIC_PT_MIN = 96;
export const DYNAMIC_PT_MAX = 127;

interface StaticFormat {
  readonly encoding: string;
  readonly clockRate: number;
  readonly channels: number;
}

/** RFC 3551 section 6, tables 4 (audio) and 5 (video). */
const STATIC_PAYLOAD_TYPES: ReadonlyMap<number, StaticFormat> = new Map<number, StaticFormat>([
  [0, { encoding: 'PCMU', clockRate: 8000, channels: 1 }],
  [3, { encoding: 'GSM', clockRate: 8000, channels: 1 }],
  [4, { encoding: 'G723', clockRate: 8000, channels: 1 }],
  [5, { encoding: 'DVI4', clockRate: 8000, channels: 1 }],
  [6, { encoding: 'DVI4', clockRate: 16000, channels: 1 }],
  [7, { encoding: 'LPC', clockRate: 8000, channels: 1 }],
  [8, { encoding: 'PCMA', clockRate: 8000, channels: 1 }],
  [9, { encoding: 'G722', clockRate: 8000, channels: 1 }],
  [10, { encoding: 'L16', clockRate: 44100, channels: 2 }],
  [11, { encoding: 'L16', clockRate: 44100, channels: 1 }],
  [12, { encoding: 'QCELP', clockRate: 8000, channels: 1 }],
  [13, { encoding: 'CN', clockRate: 8000, channels: 1 }],
  [14, { encoding: 'MPA', clockRate: 90000, channels: 1 }],
  [15, { encoding: 'G728', clockRate: 8000, channels: 1 }],
  [16, { encoding: 'DVI4', clockRate: 11025, channels: 1 }],
  [17, { encoding: 'DVI4', clockRate: 22050, channels: 1 }],
  [18, { encoding: 'G729', clockRate: 8000, channels: 1 }],
  [25, { encoding: 'CelB', clockRate: 90000, channels: 1 }],
  [26, { encoding: 'JPEG', clockRate: 90000, channels: 1 }],
  [28, { encoding: 'nv', clockRate: 90000, channels: 1 }],
  [31, { encoding: 'H261', clockRate: 90000, channels: 1 }],
  [32, { encoding: 'MPV', clockRate: 90000, channels: 1 }],
  [33, { encoding: 'MP2T', clockRate: 90000, channels: 1 }],
  [34, { encoding: 'H263', clockRate: 90000, channels: 1 }],
]);

/** The RFC 3551 static format of a payload type number, if it has one. */
export function staticFormat(pt: number): StaticFormat | undefined {
  return STATIC_PAYLOAD_TYPES.get(pt);
}

/** The codec the media engine implements under this encoding name (case-insensitive). */
export function codecByName(name: string): CodecDefinition | undefined {
  const lower = name.toLowerCase();
  for (const def of Object.values(CODECS)) if (def.name.toLowerCase() === lower) return def;
  return undefined;
}

export function isTelephoneEvent(payload: RtpPayload): boolean {
  return payload.encoding?.toLowerCase() === TELEPHONE_EVENT;
}

/**
 * The implemented codec an offered payload format denotes, or undefined when the format is unknown,
 * at an unsupported clock rate, or with an unsupported channel count. Opus is accepted whatever the
 * channel count written, since RFC 7587 fixes it at 2.
 */
export function codecOfPayload(payload: RtpPayload): CodecDefinition | undefined {
  if (payload.encoding === undefined || payload.clockRate === undefined) return undefined;
  const def = codecByName(payload.encoding);
  if (!def || !def.clockRates.includes(payload.clockRate)) return undefined;
  if (def.name !== 'opus' && payload.channels !== def.channels) return undefined;
  return def;
}

/**
 * Identity key of a payload format across descriptions: lower-case encoding, clock rate, channels.
 * Undefined for a format without a known encoding.
 */
export function formatKey(payload: Pick<RtpPayload, 'encoding' | 'clockRate' | 'channels'>): string | undefined {
  if (payload.encoding === undefined || payload.clockRate === undefined) return undefined;
  const lower = payload.encoding.toLowerCase();
  const channels = lower === 'opus' ? 2 : payload.channels;
  return `${lower}/${payload.clockRate}/${channels}`;
}
