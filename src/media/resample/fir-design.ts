/**
 * Kaiser-windowed sinc low-pass design for polyphase rational resampling (J. F. Kaiser, "Nonrecursive
 * digital filter design using the I0-sinh window function", 1974: window shape beta and length from
 * the stopband attenuation and transition width; polyphase decomposition after Crochiere & Rabiner,
 * "Multirate Digital Signal Processing", section 4.3). Tables are built once per rate pair and
 * quality and shared by every resampler that needs them.
 */

export type ResamplerQuality = 'low' | 'medium' | 'high';

interface QualitySpec {
  /** Stopband attenuation in dB. */
  readonly attenuationDb: number;
  /** Passband edge as a fraction of the lower Nyquist frequency; the stopband starts at 1.0. */
  readonly passband: number;
}

const QUALITY: Record<ResamplerQuality, QualitySpec> = {
  low: { attenuationDb: 45, passband: 0.75 },
  medium: { attenuationDb: 65, passband: 0.8 },
  high: { attenuationDb: 90, passband: 0.9 },
};

/** The polyphase filter bank of one rate pair. */
export interface PolyphaseFilter {
  /** Interpolation factor (number of phases). */
  readonly up: number;
  /** Decimation factor. */
  readonly down: number;
  /** Taps per phase. */
  readonly taps: number;
  /**
   * Coefficients, phase-major, each phase reversed: output at phase p over the input window
   * w[0..taps) (oldest first) is the dot product of w with coefficients[p * taps .. (p + 1) * taps).
   */
  readonly coefficients: Float64Array;
  /** Group delay in output samples. */
  readonly delay: number;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind, by its power series. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

/** Reduced interpolation / decimation factors of a rate pair. */
export function rateRatio(inputRate: number, outputRate: number): { up: number; down: number } {
  const g = gcd(inputRate, outputRate);
  return { up: outputRate / g, down: inputRate / g };
}

/** Designs the polyphase bank for `inputRate` -> `outputRate`. */
export function designPolyphase(inputRate: number, outputRate: number, quality: ResamplerQuality): PolyphaseFilter {
  const { up, down } = rateRatio(inputRate, outputRate);
  const spec = QUALITY[quality];
  const upRate = inputRate * up;
  const nyquist = Math.min(inputRate, outputRate) / 2;
  const transition = (1 - spec.passband) * nyquist;
  const cutoff = ((1 + spec.passband) / 2) * nyquist;
  // Kaiser's length estimate at the upsampled rate, rounded up to whole phases.
  const length = Math.ceil((spec.attenuationDb - 7.95) / (2.285 * ((2 * Math.PI * transition) / upRate))) + 1;
  const taps = Math.max(2, Math.ceil(length / up));
  const total = taps * up;
  const beta = kaiserBeta(spec.attenuationDb);
  const i0Beta = besselI0(beta);
  const centre = (total - 1) / 2;
  const fc = cutoff / upRate; // cycles per upsampled sample
  const proto = new Float64Array(total);
  for (let n = 0; n < total; n++) {
    const t = n - centre;
    const sinc = t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
    const r = t / (centre + 0.5);
    proto[n] = sinc * (besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta);
  }
  // Phase p holds proto[p + k * up], k = 0..taps-1, stored reversed and normalized to unit DC gain so
  // a constant input stays constant whatever the phase.
  const coefficients = new Float64Array(total);
  for (let p = 0; p < up; p++) {
    let sum = 0;
    for (let k = 0; k < taps; k++) sum += proto[p + k * up]!;
    for (let k = 0; k < taps; k++) coefficients[p * taps + (taps - 1 - k)] = proto[p + k * up]! / sum;
  }
  return { up, down, taps, coefficients, delay: centre / down };
}

const cache = new Map<string, PolyphaseFilter>();

/** The shared polyphase bank for a rate pair and quality (designed on first use). */
export function polyphaseFilter(inputRate: number, outputRate: number, quality: ResamplerQuality): PolyphaseFilter {
  const key = `${inputRate}>${outputRate}:${quality}`;
  let f = cache.get(key);
  if (!f) {
    f = designPolyphase(inputRate, outputRate, quality);
    cache.set(key, f);
  }
  return f;
}
