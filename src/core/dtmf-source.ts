/**
 * Where a DTMF digit came from: RFC 4733 telephone-events, in-band tones, SIP INFO (RFC 6086 bodies),
 * an application, or unknown. FreeSWITCH's DTMF event reports these in `DTMF-Source` as RTP,
 * INBAND_AUDIO, ENDPOINT, APP and UNKNOWN.
 */
export type DtmfSource = 'rfc4733' | 'inband' | 'info' | 'app' | 'unknown';

/** Digits core accepts on a channel: 0-9, *, #, A-D (RFC 4733 events 0-15). */
export function isDtmfDigit(digit: string): boolean {
  return /^[0-9*#A-Da-d]$/.test(digit);
}
