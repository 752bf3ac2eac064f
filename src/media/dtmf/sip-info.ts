/**
 * DTMF in SIP INFO bodies, as pure string functions (media does not depend on the SIP stack):
 * - application/dtmf-relay: "Signal=5\r\nDuration=160\r\n", the de-facto format of SIP phones and
 *   gateways (Cisco and Polycom usage; no RFC). Duration is in ms.
 * - application/dtmf: the body is the digit alone (draft-kaplan-dispatch-info-dtmf-package, RFC 6086
 *   section 9 info-package style).
 * Parsing is tolerant: keys in any case, spaces around "=", LF or CRLF line ends, a-d in lower case,
 * and the RFC 4733 event codes 10-16 in place of *, #, A-D and flash (some devices send those).
 */
import type { DtmfDigit } from './digits.ts';
import { FLASH_EVENT, eventToDigit, toDtmfDigit } from './digits.ts';
import { DtmfError } from './dtmf-error.ts';

export const DTMF_RELAY_CONTENT_TYPE = 'application/dtmf-relay';
export const DTMF_CONTENT_TYPE = 'application/dtmf';

/** A digit carried by a SIP INFO body; `flash` stands for hook flash (event 16). */
export interface SipInfoDtmf {
  digit: DtmfDigit | 'flash';
  /** Duration in ms when the body gives one. */
  durationMs?: number;
}

/** Duration written when the caller gives none (ms). */
export const DEFAULT_INFO_DURATION_MS = 160;

function parseSignal(value: string): DtmfDigit | 'flash' | undefined {
  const v = value.trim();
  const d = toDtmfDigit(v);
  if (d !== undefined) return d;
  if (/^\d{1,2}$/.test(v)) {
    const code = Number(v);
    if (code === FLASH_EVENT) return 'flash';
    return eventToDigit(code);
  }
  if (v.toLowerCase() === 'flash' || v === '!') return 'flash';
  return undefined;
}

/** Parses an application/dtmf-relay body; undefined when it has no valid Signal line. */
export function parseDtmfRelay(body: string): SipInfoDtmf | undefined {
  let digit: DtmfDigit | 'flash' | undefined;
  let durationMs: number | undefined;
  for (const line of body.split(/\r?\n|\r/)) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1);
    if (key === 'signal' && digit === undefined) {
      digit = parseSignal(value);
      if (digit === undefined) return undefined;
    } else if (key === 'duration' && durationMs === undefined) {
      const v = value.trim();
      if (/^\d{1,9}$/.test(v)) durationMs = Number(v);
    }
  }
  if (digit === undefined) return undefined;
  return durationMs === undefined ? { digit } : { digit, durationMs };
}

/** Builds an application/dtmf-relay body ("Signal=5\r\nDuration=160\r\n"). */
export function buildDtmfRelay(digit: string, durationMs = DEFAULT_INFO_DURATION_MS): string {
  const signal = digit.toLowerCase() === 'flash' ? 'flash' : toDtmfDigit(digit);
  if (signal === undefined) throw new DtmfError('MEDIA_DTMF_EVENT', `"${digit}" is not a DTMF digit`);
  if (!Number.isInteger(durationMs) || durationMs <= 0) {
    throw new DtmfError('MEDIA_DTMF_OPTIONS', `duration ${durationMs} ms is not a positive integer`);
  }
  return `Signal=${signal === 'flash' ? FLASH_EVENT : signal}\r\nDuration=${durationMs}\r\n`;
}

/** Parses an application/dtmf body (the digit alone); undefined when it is not one digit. */
export function parseDtmfBody(body: string): SipInfoDtmf | undefined {
  const digit = parseSignal(body);
  return digit === undefined ? undefined : { digit };
}

/** Builds an application/dtmf body. */
export function buildDtmfBody(digit: string): string {
  const d = toDtmfDigit(digit);
  if (d === undefined) throw new DtmfError('MEDIA_DTMF_EVENT', `"${digit}" is not a DTMF digit`);
  return d;
}

/**
 * Parses a SIP INFO body by its Content-Type (parameters and case ignored); undefined for other
 * content types and for bodies without a digit.
 */
export function parseSipInfoDtmf(contentType: string, body: string): SipInfoDtmf | undefined {
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (type === DTMF_RELAY_CONTENT_TYPE) return parseDtmfRelay(body);
  if (type === DTMF_CONTENT_TYPE) return parseDtmfBody(body);
  return undefined;
}
