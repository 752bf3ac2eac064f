/**
 * Choices an answerer makes per RFC 3264 section 6.1: the codec (the offerer's order or ours among
 * codecs both support), telephone-event at the codec's clock rate (RFC 4733 section 2.1: events use
 * the audio's timestamp clock), and the packetization (RFC 8866 sections 6.4, 6.5: honour the offer's
 * ptime when we can, never above its maxptime).
 */
import { type CodecDefinition, codecOfPayload, isTelephoneEvent } from './codec-catalog.ts';
import { type CodecPreference, preferenceIndex } from './codec-preferences.ts';
import type { CodecPolicy } from './local-media.ts';
import type { RtpPayload } from './sdp-model.ts';

export interface CodecChoice {
  readonly payload: RtpPayload;
  readonly def: CodecDefinition;
}

/** Offered formats that satisfy a preference, in the offer's order. */
export function acceptableCodecs(payloads: readonly RtpPayload[], prefs: readonly CodecPreference[]): CodecChoice[] {
  const out: CodecChoice[] = [];
  for (const payload of payloads) {
    const def = codecOfPayload(payload);
    if (def && preferenceIndex(payload, prefs) >= 0) out.push({ payload, def });
  }
  return out;
}

/** The codec to answer with, or undefined when no offered format is in our list. */
export function chooseCodec(
  payloads: readonly RtpPayload[],
  prefs: readonly CodecPreference[],
  policy: CodecPolicy,
): CodecChoice | undefined {
  const acceptable = acceptableCodecs(payloads, prefs);
  if (policy === 'offerer') return acceptable[0];
  let best: CodecChoice | undefined;
  let bestIndex = Infinity;
  for (const choice of acceptable) {
    const index = preferenceIndex(choice.payload, prefs);
    if (index < bestIndex) {
      best = choice;
      bestIndex = index;
    }
  }
  return best;
}

/**
 * The telephone-event format at the given clock rate; with fallback, when there is none at that rate,
 * the one at 8000 (the rate every RFC 4733 implementation knows, offered by some phones next to opus).
 */
export function chooseTelephoneEvent(
  payloads: readonly RtpPayload[],
  clockRate: number,
  fallback: boolean,
): RtpPayload | undefined {
  const events = payloads.filter((p) => isTelephoneEvent(p) && p.clockRate !== undefined);
  const exact = events.find((p) => p.clockRate === clockRate);
  if (exact || !fallback) return exact;
  return events.find((p) => p.clockRate === 8000);
}

/** The packetization to answer with. */
export function choosePtime(
  offered: number | undefined,
  maxptime: number | undefined,
  local: { readonly ptime: number; readonly ptimes: readonly number[] },
): number {
  if (offered !== undefined && local.ptimes.includes(offered) && (maxptime === undefined || offered <= maxptime)) {
    return offered;
  }
  if (maxptime === undefined || local.ptime <= maxptime) return local.ptime;
  const fitting = local.ptimes.filter((p) => p <= maxptime);
  return fitting.length > 0 ? Math.max(...fitting) : local.ptime;
}
