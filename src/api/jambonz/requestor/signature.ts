/**
 * The `Jambonz-Signature` webhook header (specs/jambonz.md §2.1): `t=<unix seconds>,v1=<hex>` where hex is
 * HMAC-SHA256 over `"<t>." + <the JSON text of the body>` keyed with the account's webhook secret. The
 * signed text is exactly the text sent, so a verifier that re-serializes the parsed body agrees.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Jambonz-Signature';

/** The hex HMAC-SHA256 of `"<timestamp>.<body>"`. */
export function computeSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The header value for `body` signed at `nowMs` (wall-clock milliseconds). */
export function signatureHeader(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${computeSignature(secret, t, body)}`;
}

export interface ParsedSignature {
  timestamp: number;
  signatures: string[];
}

/** Parses `t=...,v1=...[,v1=...]`; undefined when there is no timestamp or no v1 value. */
export function parseSignatureHeader(header: string): ParsedSignature | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return undefined;
  return { timestamp, signatures };
}

/**
 * True when `header` carries a v1 signature of `body` with `secret`, made within `toleranceSec` of
 * `nowMs` (wall clock); a tolerance of 0 skips the age check.
 */
export function verifySignature(
  header: string,
  secret: string,
  body: string,
  nowMs: number,
  toleranceSec = 300,
): boolean {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return false;
  if (toleranceSec > 0 && Math.abs(Math.floor(nowMs / 1000) - parsed.timestamp) > toleranceSec) return false;
  const expected = Buffer.from(computeSignature(secret, parsed.timestamp, body), 'utf8');
  return parsed.signatures.some((sig) => {
    const got = Buffer.from(sig, 'utf8');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}
