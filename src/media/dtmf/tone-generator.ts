/**
 * Tone synthesizer: sums of sines with an on/off cadence, written frame by frame into caller buffers
 * with phase kept across frames. Used for DTMF (ITU-T Q.23 frequency pairs) and for call-progress
 * tones (ITU-T E.180 cadences, FreeSWITCH tone_stream "%(on,off,f1,f2...)").
 *
 * Levels are in dBm0 per frequency, with 0 dBm0 at 3.17 dB below a full-scale sine (the G.711 mu-law
 * digital milliwatt of ITU-T G.711).
 */
import type { DtmfDigit } from './digits.ts';
import { dtmfFrequencies, toDtmfDigit } from './digits.ts';
import { DtmfError } from './dtmf-error.ts';

/** Peak amplitude of a 0 dBm0 sine in 16-bit PCM. */
export const DBM0_PEAK = 32768 * 10 ** (-3.17 / 20);

/** Peak amplitude of a sine at `dbm0`. */
export function dbm0ToAmplitude(dbm0: number): number {
  return DBM0_PEAK * 10 ** (dbm0 / 20);
}

export interface ToneOptions {
  /** Output sample rate; 8000 unless given. */
  sampleRate?: number;
  /** Frequencies in Hz, summed. */
  frequencies: readonly number[];
  /** Level of each frequency in dBm0; -10 unless given. */
  levelDbm0?: number | readonly number[];
  /** Tone on-time of one cadence cycle in ms; continuous when absent. */
  onMs?: number;
  /** Silence after each on-time in ms; 0 when absent. */
  offMs?: number;
  /** Total length in ms after which fill() writes nothing; endless when absent. */
  durationMs?: number;
}

export class ToneGenerator {
  readonly sampleRate: number;
  readonly #step: Float64Array;
  readonly #phase: Float64Array;
  readonly #amp: Float64Array;
  readonly #on: number;
  readonly #cycle: number;
  readonly #total: number;
  #pos = 0;

  constructor(opts: ToneOptions) {
    const rate = opts.sampleRate ?? 8000;
    if (!Number.isFinite(rate) || rate <= 0) throw new DtmfError('MEDIA_DTMF_OPTIONS', `bad sample rate ${rate}`);
    const n = opts.frequencies.length;
    for (const f of opts.frequencies) {
      if (!Number.isFinite(f) || f < 0 || f >= rate / 2) {
        throw new DtmfError('MEDIA_DTMF_OPTIONS', `frequency ${f} Hz cannot be played at ${rate} Hz`);
      }
    }
    const levels = opts.levelDbm0 ?? -10;
    this.sampleRate = rate;
    this.#step = Float64Array.from(opts.frequencies, (f) => (2 * Math.PI * f) / rate);
    this.#phase = new Float64Array(n);
    this.#amp = Float64Array.from(opts.frequencies, (_, i) =>
      dbm0ToAmplitude(typeof levels === 'number' ? levels : (levels[i] ?? levels[0] ?? -10)),
    );
    const samples = (ms: number | undefined, name: string): number => {
      if (ms === undefined) return -1;
      if (!Number.isFinite(ms) || ms < 0) throw new DtmfError('MEDIA_DTMF_OPTIONS', `bad ${name} ${ms}`);
      return Math.round((ms * rate) / 1000);
    };
    const on = samples(opts.onMs, 'onMs');
    const off = Math.max(0, samples(opts.offMs, 'offMs'));
    this.#on = on < 0 ? Infinity : on;
    this.#cycle = on < 0 ? Infinity : on + off;
    const total = samples(opts.durationMs, 'durationMs');
    this.#total = total < 0 ? Infinity : total;
  }

  /** True once durationMs has been written. */
  get done(): boolean {
    return this.#pos >= this.#total;
  }

  /** Writes up to `count` samples into `out` from `offset`; returns how many (fewer only when done). */
  fill(out: Int16Array, offset = 0, count = out.length - offset): number {
    const n = Math.max(0, Math.min(count, out.length - offset, this.#total - this.#pos));
    const step = this.#step;
    const phase = this.#phase;
    const amp = this.#amp;
    const tones = step.length;
    for (let i = 0; i < n; i++) {
      const inCycle = this.#cycle === Infinity ? this.#pos : this.#pos % this.#cycle;
      let v = 0;
      if (inCycle < this.#on) {
        if (inCycle === 0) phase.fill(0);
        for (let t = 0; t < tones; t++) {
          v += amp[t]! * Math.sin(phase[t]!);
          let p = phase[t]! + step[t]!;
          if (p > 2 * Math.PI) p -= 2 * Math.PI;
          phase[t] = p;
        }
      }
      const r = Math.round(v);
      out[offset + i] = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
      this.#pos++;
    }
    return n;
  }

  /** Starts over from the beginning of the cadence. */
  reset(): void {
    this.#pos = 0;
    this.#phase.fill(0);
  }
}

/** A tone generator (sum of sines, optional cadence and length). */
export function toneGenerator(opts: ToneOptions): ToneGenerator {
  return new ToneGenerator(opts);
}

export interface DtmfToneOptions {
  sampleRate?: number;
  /** Level of the low-group tone in dBm0; -10 unless given. */
  levelDbm0?: number;
  /** High-group level minus low-group level in dB (positive = reverse twist); 0 unless given. */
  twistDb?: number;
  durationMs?: number;
}

/** A generator of the Q.23 tone pair of one DTMF digit. */
export function dtmfToneGenerator(digit: DtmfDigit, opts: DtmfToneOptions = {}): ToneGenerator {
  const level = opts.levelDbm0 ?? -10;
  return new ToneGenerator({
    sampleRate: opts.sampleRate,
    frequencies: dtmfFrequencies(digit),
    levelDbm0: [level, level + (opts.twistDb ?? 0)],
    durationMs: opts.durationMs,
  });
}

export interface DtmfSequenceOptions extends Omit<DtmfToneOptions, 'durationMs'> {
  /** Tone length per digit in ms; 100 unless given. */
  toneMs?: number;
  /** Silence after each digit in ms; 100 unless given. */
  gapMs?: number;
}

/** PCM of a digit string, each digit followed by a gap (allocates; for prompts and tests). */
export function generateDtmf(digits: string, opts: DtmfSequenceOptions = {}): Int16Array {
  const rate = opts.sampleRate ?? 8000;
  const tone = Math.round(((opts.toneMs ?? 100) * rate) / 1000);
  const gap = Math.round(((opts.gapMs ?? 100) * rate) / 1000);
  const out = new Int16Array(digits.length * (tone + gap));
  let at = 0;
  for (const ch of digits) {
    const d = toDtmfDigit(ch);
    if (d === undefined) throw new DtmfError('MEDIA_DTMF_EVENT', `"${ch}" is not a DTMF digit`);
    dtmfToneGenerator(d, { ...opts, durationMs: undefined }).fill(out, at, tone);
    at += tone + gap;
  }
  return out;
}
