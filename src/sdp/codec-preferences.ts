/**
 * The local codec preference list, as configured: entries like `PCMU`, `pcma`, `G722`, `L16/16000`,
 * `opus` or `opus/48000/2` (RFC 4855 section 3: names are case-insensitive). `G722/16000` is accepted as
 * the audio rate and means the RFC 3551 section 4.5.2 SDP clock rate of 8000. `L16` without a rate matches
 * L16 at any supported rate in offers received, and is offered at 16000.
 */
import { SdpError } from './sdp-error.ts';
import { type CodecDefinition, type CodecName, codecByName, codecOfPayload } from './codec-catalog.ts';
import type { RtpPayload } from './sdp-model.ts';

export interface CodecPreference {
  readonly name: CodecName;
  /** Required RTP clock rate; undefined accepts any rate the codec supports. */
  readonly clockRate: number | undefined;
}

/** Parses one preference entry; throws SdpError SDP_CONFIG for unknown codecs or rates. */
export function parseCodecPreference(entry: string): CodecPreference {
  const parts = entry.trim().split('/');
  const [name = '', rateText, channelsText] = parts;
  if (parts.length > 3 || name === '') {
    throw new SdpError('SDP_CONFIG', `codec preference "${entry}" is not of the form name[/rate[/channels]]`);
  }
  if (name.toLowerCase() === 'telephone-event') {
    throw new SdpError('SDP_CONFIG', 'telephone-event is configured on its own, not in the codec list');
  }
  const def = codecByName(name);
  if (!def) {
    throw new SdpError('SDP_CONFIG', `codec "${name}" is not supported (supported: PCMU, PCMA, G722, L16, opus)`);
  }
  const clockRate = rateText === undefined ? undefined : clockRateOf(def, rateText, entry);
  if (channelsText !== undefined && Number(channelsText) !== def.channels) {
    throw new SdpError('SDP_CONFIG', `codec preference "${entry}": ${def.name} has ${def.channels} channel(s) in SDP`);
  }
  const fixed = clockRate ?? (def.clockRates.length === 1 ? def.defaultClockRate : undefined);
  return { name: def.name, clockRate: fixed };
}

function clockRateOf(def: CodecDefinition, text: string, entry: string): number {
  if (!/^\d+$/.test(text)) throw new SdpError('SDP_CONFIG', `codec preference "${entry}": rate is not a number`);
  const rate = Number(text);
  if (def.name === 'G722' && rate === 16000) return 8000;
  if (!def.clockRates.includes(rate)) {
    throw new SdpError(
      'SDP_CONFIG',
      `codec preference "${entry}": ${def.name} is supported at ${def.clockRates.join(', ')} Hz only`,
    );
  }
  return rate;
}

/** Parses the configured list, dropping repeated entries; throws SdpError SDP_CONFIG. */
export function parseCodecPreferences(list: readonly string[]): CodecPreference[] {
  const out: CodecPreference[] = [];
  for (const entry of list) {
    const pref = parseCodecPreference(entry);
    if (!out.some((p) => p.name === pref.name && p.clockRate === pref.clockRate)) out.push(pref);
  }
  if (out.length === 0) throw new SdpError('SDP_CONFIG', 'the codec preference list is empty');
  return out;
}

/** Whether an offered payload format satisfies a preference. */
export function matchesPreference(payload: RtpPayload, pref: CodecPreference): boolean {
  const def = codecOfPayload(payload);
  if (!def || def.name !== pref.name) return false;
  return pref.clockRate === undefined || pref.clockRate === payload.clockRate;
}

/** Index of the first preference an offered payload satisfies, or -1. */
export function preferenceIndex(payload: RtpPayload, prefs: readonly CodecPreference[]): number {
  return prefs.findIndex((pref) => matchesPreference(payload, pref));
}
