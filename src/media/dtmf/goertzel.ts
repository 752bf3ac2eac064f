/**
 * In-band DTMF detection (ITU-T Q.24 receiver characteristics for the ITU-T Q.23 tone pairs) with the
 * Goertzel algorithm (G. Goertzel, "An algorithm for the evaluation of finite trigonometric series",
 * 1958): one second-order resonator per DTMF frequency over blocks of 12.75 ms.
 *
 * A block holds a digit when: the strongest row and column tones each reach the minimum level; the
 * row/column level difference is within the allowed normal and reverse twist; each is well above the
 * other tones of its group; and the two tones carry most of the block's energy (speech, music and
 * noise spread their energy and fail this). A digit starts after two consecutive blocks agree (about
 * 25-40 ms of tone) and ends after two blocks without it, so a long tone is one digit and a short gap
 * separates two digits. Frames may be any length; no allocation per frame.
 */
import type { DtmfDigit } from './digits.ts';
import { DTMF_COLUMN_FREQUENCIES, DTMF_ROW_FREQUENCIES, keypadDigit } from './digits.ts';
import { DtmfError } from './dtmf-error.ts';
import { dbm0ToAmplitude } from './tone-generator.ts';

/** Goertzel power |X(f)|^2 of `samples[start..end)` at `freq` Hz. */
export function goertzelPower(
  samples: ArrayLike<number>,
  freq: number,
  sampleRate: number,
  start = 0,
  end = samples.length,
): number {
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < end; i++) {
    const s0 = samples[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

export interface DetectedDigit {
  digit: DtmfDigit;
  /** Stream position (in samples since the detector started) where the tone was first seen. */
  atSample: number;
}

export interface DetectedDigitEnd extends DetectedDigit {
  /** Length of the tone in ms, to block precision. */
  durationMs: number;
}

export interface DtmfDetectorOptions {
  /** Called when a digit is recognised (at its start, after about 25-40 ms). */
  onDigit: (d: DetectedDigit) => void;
  /** Called when the tone of a recognised digit stops. */
  onDigitEnd?: (d: DetectedDigitEnd) => void;
  /** PCM sample rate; 8000 unless given. */
  sampleRate?: number;
  /** Minimum level of each tone in dBm0; -36 unless given. */
  minLevelDbm0?: number;
  /** Largest column-below-row level difference in dB; 8 unless given. */
  normalTwistDb?: number;
  /** Largest column-above-row level difference in dB; 8 unless given. */
  reverseTwistDb?: number;
  /** How far each tone must exceed the others of its group, in dB; 8 unless given. */
  relativePeakDb?: number;
  /** Share of block energy the two tones must carry; 0.7 unless given. */
  minToneShare?: number;
}

const FREQUENCIES = [...DTMF_ROW_FREQUENCIES, ...DTMF_COLUMN_FREQUENCIES];
/** Blocks that must agree before a digit starts, and blocks without it before it ends. */
const START_BLOCKS = 2;
const END_BLOCKS = 2;

export class DtmfDetector {
  readonly sampleRate: number;
  /** Samples per analysis block (102 at 8 kHz). */
  readonly blockSize: number;
  readonly #onDigit: (d: DetectedDigit) => void;
  readonly #onDigitEnd: ((d: DetectedDigitEnd) => void) | undefined;
  readonly #coeff: Float64Array;
  readonly #s1 = new Float64Array(8);
  readonly #s2 = new Float64Array(8);
  readonly #power = new Float64Array(8);
  /** Minimum per-tone energy over one block (sum of squares). */
  readonly #minEnergy: number;
  readonly #normalTwist: number;
  readonly #reverseTwist: number;
  readonly #relativePeak: number;
  readonly #minShare: number;
  #energy = 0;
  #inBlock = 0;
  #samples = 0;
  /** Block classification runs: the last block's digit (-1 = none) and how many blocks in a row. */
  #candidate = -1;
  #candidateRun = 0;
  #candidateStart = 0;
  /** The digit being reported (-1 = none), where it started and blocks since it was last seen. */
  #current = -1;
  #currentStart = 0;
  #currentLastSeen = 0;

  constructor(opts: DtmfDetectorOptions) {
    const rate = opts.sampleRate ?? 8000;
    if (!Number.isFinite(rate) || rate < 8000) {
      throw new DtmfError('MEDIA_DTMF_OPTIONS', `DTMF detection needs at least 8000 Hz, not ${rate}`);
    }
    this.sampleRate = rate;
    this.blockSize = Math.round((102 * rate) / 8000);
    this.#onDigit = opts.onDigit;
    this.#onDigitEnd = opts.onDigitEnd;
    this.#coeff = Float64Array.from(FREQUENCIES, (f) => 2 * Math.cos((2 * Math.PI * f) / rate));
    const amp = dbm0ToAmplitude(opts.minLevelDbm0 ?? -36);
    this.#minEnergy = ((amp * amp) / 2) * this.blockSize;
    this.#normalTwist = 10 ** ((opts.normalTwistDb ?? 8) / 10);
    this.#reverseTwist = 10 ** ((opts.reverseTwistDb ?? 8) / 10);
    this.#relativePeak = 10 ** ((opts.relativePeakDb ?? 8) / 10);
    this.#minShare = opts.minToneShare ?? 0.7;
  }

  /** Analyses one frame of PCM; digits are reported through the callbacks. */
  process(frame: Int16Array): void {
    const coeff = this.#coeff;
    const s1 = this.#s1;
    const s2 = this.#s2;
    const block = this.blockSize;
    for (let i = 0; i < frame.length; i++) {
      const x = frame[i]!;
      this.#energy += x * x;
      for (let k = 0; k < 8; k++) {
        const s0 = x + coeff[k]! * s1[k]! - s2[k]!;
        s2[k] = s1[k]!;
        s1[k] = s0;
      }
      this.#samples++;
      if (++this.#inBlock === block) this.#endBlock();
    }
  }

  /** Ends a digit still sounding (the stream stops). */
  flush(): void {
    if (this.#current >= 0) this.#finishDigit(this.#samples);
    this.#candidate = -1;
    this.#candidateRun = 0;
  }

  reset(): void {
    this.#s1.fill(0);
    this.#s2.fill(0);
    this.#energy = 0;
    this.#inBlock = 0;
    this.#samples = 0;
    this.#candidate = -1;
    this.#candidateRun = 0;
    this.#current = -1;
  }

  #endBlock(): void {
    const p = this.#power;
    const s1 = this.#s1;
    const s2 = this.#s2;
    const coeff = this.#coeff;
    for (let k = 0; k < 8; k++) {
      p[k] = s1[k]! * s1[k]! + s2[k]! * s2[k]! - coeff[k]! * s1[k]! * s2[k]!;
      s1[k] = 0;
      s2[k] = 0;
    }
    const digit = this.#classify(this.#energy);
    const blockStart = this.#samples - this.blockSize;
    this.#energy = 0;
    this.#inBlock = 0;

    if (digit === this.#candidate) {
      this.#candidateRun++;
    } else {
      this.#candidate = digit;
      this.#candidateRun = 1;
      this.#candidateStart = blockStart;
    }
    if (this.#current >= 0) {
      if (digit === this.#current) this.#currentLastSeen = this.#samples;
      else if (this.#samples - this.#currentLastSeen >= END_BLOCKS * this.blockSize) this.#finishDigit(this.#currentLastSeen);
    }
    if (this.#current < 0 && this.#candidate >= 0 && this.#candidateRun >= START_BLOCKS) {
      this.#current = this.#candidate;
      this.#currentStart = this.#candidateStart;
      this.#currentLastSeen = this.#samples;
      this.#onDigit({ digit: keypadDigit(this.#current >> 2, this.#current & 3)!, atSample: this.#currentStart });
    }
  }

  #finishDigit(endSample: number): void {
    const digit = keypadDigit(this.#current >> 2, this.#current & 3)!;
    const atSample = this.#currentStart;
    this.#current = -1;
    this.#onDigitEnd?.({ digit, atSample, durationMs: ((endSample - atSample) * 1000) / this.sampleRate });
  }

  /** The keypad index (row * 4 + column) of the block, or -1. */
  #classify(energy: number): number {
    const p = this.#power;
    let row = 0;
    for (let k = 1; k < 4; k++) if (p[k]! > p[row]!) row = k;
    let col = 4;
    for (let k = 5; k < 8; k++) if (p[k]! > p[col]!) col = k;
    const n = this.blockSize;
    // Tone energies over the block: 2|X|^2 / N is the energy of a sine at that frequency.
    const rowEnergy = (2 * p[row]!) / n;
    const colEnergy = (2 * p[col]!) / n;
    if (rowEnergy < this.#minEnergy || colEnergy < this.#minEnergy) return -1;
    if (colEnergy < rowEnergy ? rowEnergy > colEnergy * this.#normalTwist : colEnergy > rowEnergy * this.#reverseTwist) {
      return -1;
    }
    for (let k = 0; k < 4; k++) if (k !== row && p[k]! * this.#relativePeak > p[row]!) return -1;
    for (let k = 4; k < 8; k++) if (k !== col && p[k]! * this.#relativePeak > p[col]!) return -1;
    if (rowEnergy + colEnergy < this.#minShare * energy) return -1;
    return row * 4 + (col - 4);
  }
}

/** An in-band DTMF detector reporting through `opts.onDigit` / `opts.onDigitEnd`. */
export function createDtmfDetector(opts: DtmfDetectorOptions): DtmfDetector {
  return new DtmfDetector(opts);
}
