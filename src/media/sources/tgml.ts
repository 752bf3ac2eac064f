/**
 * FreeSWITCH tone_stream scripts: TGML, the Tone Generation Markup Language (FreeSWITCH docs, "TGML"
 * and "mod_tone_stream"; libteletone defaults: tone 250 ms, wait 62.5 ms, volume -7 dB).
 *
 * A script is `;`-separated instructions, run in order:
 *   %(on,off,f1[,f2...])  a tone: `on` ms of the summed frequencies (Hz, decimals allowed), then `off` ms
 *                         of silence; no frequency (or only 0) is silence for on + off
 *   0-9 a-d A-D * #       DTMF digits (ITU-T Q.23 pairs) of the default length and wait; a digit may
 *                         carry its own: 7(1000,500)
 *   d=ms  w=ms            default DTMF tone length / wait after each DTMF tone
 *   v=dB                  volume (dB of full scale, -63..0) of the tones that follow
 *   >=ms  <=ms  +=dB      volume ramp: every `>` (down) or `<` (up) ms the volume changes by `+` dB
 *   l=n                   each following tone is played n times
 *   L=n                   the whole script is played n times
 *   loops=n               the whole script is repeated n times; -1 = forever (multiplies L)
 *   c=n  r=n              channels and rate: accepted and ignored (the caller's rate and mono are used)
 *
 * Not implemented: FreeSWITCH's per-channel and rate settings (above), and tone names defined in a
 * teletone config (only the DTMF characters are built in). Each frequency of a tone is generated at
 * volume / number-of-frequencies, so the summed peak is the volume.
 */
import type { DtmfDigit } from '../dtmf/index.ts';
import { dtmfFrequencies, toDtmfDigit } from '../dtmf/index.ts';
import { SourceError } from './source-error.ts';

export interface TgmlTone {
  onMs: number;
  offMs: number;
  /** Frequencies in Hz (0 Hz entries removed); empty = silence. */
  frequencies: number[];
  /** Start volume in dB of full scale. */
  volumeDb: number;
  /** Volume ramp: every `stepMs` the volume changes by `stepDb` (negative = decay); stepMs 0 = none. */
  rampStepMs: number;
  rampDb: number;
}

export interface TgmlScript {
  tones: TgmlTone[];
  /** Plays of the whole script; Infinity = forever. */
  plays: number;
}

export const TGML_DEFAULT_TONE_MS = 250;
export const TGML_DEFAULT_WAIT_MS = 62.5;
export const TGML_DEFAULT_VOLUME_DB = -7;

function bad(script: string, why: string): never {
  throw new SourceError('MEDIA_SOURCE_SPEC', `tone_stream "${script}": ${why}`);
}

function num(script: string, text: string, what: string): number {
  const t = text.trim();
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v)) bad(script, `${what} "${text}" is not a number`);
  return v;
}

function ms(script: string, text: string, what: string): number {
  const v = num(script, text, what);
  if (v < 0) bad(script, `${what} ${v} is negative`);
  return v;
}

function count(script: string, text: string, what: string, allowForever: boolean): number {
  const v = num(script, text, what);
  if (allowForever && v === -1) return Infinity;
  if (!Number.isInteger(v) || v < 1) bad(script, `${what} must be a positive integer, not ${text}`);
  return v;
}

/** Parses a TGML script (the part after `tone_stream://`). */
export function parseTgml(script: string): TgmlScript {
  const tones: TgmlTone[] = [];
  let toneMs = TGML_DEFAULT_TONE_MS;
  let waitMs = TGML_DEFAULT_WAIT_MS;
  let volumeDb = TGML_DEFAULT_VOLUME_DB;
  let downMs = 0;
  let upMs = 0;
  let stepDb = 0;
  let repeat = 1;
  let scriptLoops = 1;
  let loops = 1;

  const push = (onMs: number, offMs: number, frequencies: readonly number[]): void => {
    const rampStepMs = downMs > 0 ? downMs : upMs;
    const rampDb = downMs > 0 ? -stepDb : upMs > 0 ? stepDb : 0;
    const audible = frequencies.filter((f) => f !== 0);
    const tone: TgmlTone = { onMs, offMs, frequencies: audible, volumeDb, rampStepMs, rampDb };
    for (let i = 0; i < repeat; i++) tones.push(tone);
  };

  for (const raw of script.split(';')) {
    const item = raw.trim();
    if (item === '') continue;
    if (item.startsWith('%(')) {
      if (!item.endsWith(')')) bad(script, `unterminated "${item}"`);
      const args = item.slice(2, -1).split(',');
      if (args.length < 2) bad(script, `"${item}" needs on and off durations`);
      const freqs = args.slice(2).map((f) => {
        const v = num(script, f, 'frequency');
        if (v < 0) bad(script, `frequency ${v} is negative`);
        return v;
      });
      push(ms(script, args[0]!, 'on-time'), ms(script, args[1]!, 'off-time'), freqs);
      continue;
    }
    const eq = item.indexOf('=');
    if (eq > 0) {
      const key = item.slice(0, eq).trim();
      const value = item.slice(eq + 1);
      switch (key) {
        case 'd':
          toneMs = ms(script, value, 'tone length');
          break;
        case 'w':
          waitMs = ms(script, value, 'wait');
          break;
        case 'v':
          volumeDb = Math.min(0, Math.max(-63, num(script, value, 'volume')));
          break;
        case '>':
          downMs = ms(script, value, 'ramp step');
          upMs = 0;
          break;
        case '<':
          upMs = ms(script, value, 'ramp step');
          downMs = 0;
          break;
        case '+':
          stepDb = Math.abs(num(script, value, 'ramp dB'));
          break;
        case 'l':
          repeat = count(script, value, 'l', false);
          break;
        case 'L':
          scriptLoops = count(script, value, 'L', false);
          break;
        case 'loops':
          loops = count(script, value, 'loops', true);
          break;
        case 'c':
        case 'r':
          num(script, value, key);
          break;
        default:
          bad(script, `unknown setting "${key}"`);
      }
      continue;
    }
    parseDigits(script, item, (digit, on, off) => push(on ?? toneMs, off ?? waitMs, dtmfFrequencies(digit)));
  }
  return { tones, plays: scriptLoops * loops };
}

/** Walks a run of DTMF characters, each with an optional "(on,off)" modifier. */
function parseDigits(
  script: string,
  item: string,
  emit: (digit: DtmfDigit, onMs: number | undefined, offMs: number | undefined) => void,
): void {
  let i = 0;
  while (i < item.length) {
    const ch = item[i]!;
    const digit = toDtmfDigit(ch);
    if (digit === undefined) bad(script, `"${ch}" is neither a DTMF digit nor a TGML instruction`);
    i++;
    while (item[i] === ' ') i++;
    if (item[i] === '(') {
      const close = item.indexOf(')', i);
      if (close < 0) bad(script, `unterminated modifier after "${ch}"`);
      const args = item.slice(i + 1, close).split(',');
      const on = ms(script, args[0] ?? '', 'digit length');
      const off = args.length > 1 ? ms(script, args[1]!, 'digit wait') : undefined;
      emit(digit, on, off);
      i = close + 1;
    } else {
      emit(digit, undefined, undefined);
    }
    while (item[i] === ' ') i++;
  }
}

/** Length of one play of the script in ms. */
export function tgmlDurationMs(script: TgmlScript): number {
  let total = 0;
  for (const t of script.tones) total += t.onMs + t.offMs;
  return total;
}
