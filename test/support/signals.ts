/**
 * Synthetic test signals and measurements for the media tests: sines, seeded white noise, and a
 * least-squares sine fit that gives amplitude and SNR at a known frequency whatever the delay.
 */

/** A seeded PRNG (mulberry32) returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function clip16(x: number): number {
  const r = Math.round(x);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

/** `n` samples of a sine of `freq` Hz at `rate` with peak `amplitude`. */
export function sine(freq: number, rate: number, n: number, amplitude: number, phase = 0): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = clip16(amplitude * Math.sin((2 * Math.PI * freq * i) / rate + phase));
  return out;
}

/** `n` samples of Gaussian white noise with standard deviation `rms`, reproducible by `seed`. */
export function whiteNoise(n: number, rms: number, seed: number): Int16Array {
  const rnd = seededRandom(seed);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - rnd();
    const v = rnd();
    out[i] = clip16(rms * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return out;
}

/** Sample-wise sum, clipped to 16 bits. */
export function mix(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = clip16((a[i] ?? 0) + (b[i] ?? 0));
  return out;
}

/** Root mean square of `x[start..end)`. */
export function rms(x: ArrayLike<number>, start = 0, end = x.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, end - start));
}

export interface SineFit {
  /** Peak amplitude of the best-fitting sine at the frequency. */
  amplitude: number;
  /** Power of the fitted sine over the power of what is left, in dB. */
  snrDb: number;
}

/** Least-squares fit of a sine of `freq` Hz to `x[start..end)`. */
export function sineFit(x: ArrayLike<number>, freq: number, rate: number, start = 0, end = x.length): SineFit {
  const w = (2 * Math.PI * freq) / rate;
  let cc = 0;
  let ss = 0;
  let cs = 0;
  let xc = 0;
  let xs = 0;
  for (let i = start; i < end; i++) {
    const c = Math.cos(w * i);
    const s = Math.sin(w * i);
    cc += c * c;
    ss += s * s;
    cs += c * s;
    xc += x[i]! * c;
    xs += x[i]! * s;
  }
  const det = cc * ss - cs * cs;
  const a = (xc * ss - xs * cs) / det;
  const b = (xs * cc - xc * cs) / det;
  let signal = 0;
  let residual = 0;
  for (let i = start; i < end; i++) {
    const fit = a * Math.cos(w * i) + b * Math.sin(w * i);
    signal += fit * fit;
    residual += (x[i]! - fit) ** 2;
  }
  return { amplitude: Math.hypot(a, b), snrDb: 10 * Math.log10(signal / Math.max(residual, 1e-9)) };
}

/** 20 log10(a / b). */
export function ratioDb(a: number, b: number): number {
  return 20 * Math.log10(a / b);
}
