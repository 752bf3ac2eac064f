/**
 * The sub-band ADPCM blocks shared by the G.722 encoder and decoder (ITU-T G.722, the computational
 * details of the lower and higher sub-band ADPCM; block names in comments are the Recommendation's).
 * Only the 64 kbit/s mode (mode 1) is implemented: 6 bits for the lower band, 2 for the higher band.
 *
 * Arithmetic is the Recommendation's 16-bit fixed point: products are shifted right by 15 (or 12 for
 * the quantizer thresholds), sums saturate to the 16-bit range where G.722 places a LIMIT block.
 * Predictor coefficients are Q14 values.
 */

/** Saturates to the signed 16-bit range. */
export function sat16(x: number): number {
  return x > 32767 ? 32767 : x < -32768 ? -32768 : x;
}

/** Transmit and receive QMF coefficients h0..h23 (G.722 QMF coefficient table), scaled by 2^13. */
export const QMF_COEFFS: Int32Array = Int32Array.from([
  3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876, 3876, 951, -805, -210, 362, 32, -156, 12, 53, -11, -11,
  3,
]);

/** Lower-band quantizer decision levels Q6(1..29) scaled by 8 (G.722 QUANTL); index 0 unused. */
const Q6 = Int32Array.from([
  0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219, 1339,
  1458, 1612, 1765, 1980, 2195, 2557, 2919,
]);
/** Lower-band codes for negative / positive differences by interval (G.722 QUANTL). */
const ILN = Int32Array.from([
  0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4,
]);
const ILP = Int32Array.from([
  0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33,
  32,
]);

/** 4-bit inverse quantizer outputs QQ4 by code (G.722 INVQAL), applied as (DETL x QQ4) >> 15. */
const QM4 = Int32Array.from([
  0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
]);

/** 6-bit inverse quantizer output QQ6 by code (G.722 INVQBL); codes 0-3 are unused in mode 1. */
const QM6 = Int32Array.from([
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
  -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728, 24808,
  21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456, 4944, 4464, 4008,
  3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432, -136,
]);

/** Lower-band log scale factor multipliers: RIL (4-bit code) -> IL4 -> WL (G.722 LOGSCL). */
const RL42 = Int32Array.from([0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0]);
const WL = Int32Array.from([-60, -30, 58, 172, 334, 538, 1198, 3042]);

/** Antilog table for the scale factors (G.722 SCALEL / SCALEH). */
const ILB = Int32Array.from([
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025, 3091,
  3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
]);

/** Higher-band quantizer: codes, inverse quantizer output and log scale multipliers (G.722 QUANTH, INVQAH, LOGSCH). */
const IHN = Int32Array.from([0, 1, 0]);
const IHP = Int32Array.from([0, 3, 2]);
const QM2 = Int32Array.from([-7408, -1616, 7408, 1616]);
const RH2 = Int32Array.from([2, 1, 2, 1]);
const WH = Int32Array.from([0, -214, 798]);

/**
 * The adaptive predictor and scale-factor state of one sub-band (lower or higher). The six zero-section
 * coefficients and differences are separate fields rather than arrays: this runs twice per sample pair.
 */
export class BandState {
  /** Predicted signal (SL / SH). */
  s = 0;
  /** Zero-section predictor output (SZL / SZH). */
  sz = 0;
  /** Log scale factor (NBL / NBH). */
  nb = 0;
  /** Quantizer scale factor (DETL / DETH). */
  det: number;
  /** Pole-section coefficients (AL1, AL2), Q14. */
  a1 = 0;
  a2 = 0;
  /** Zero-section coefficients BL1..BL6, Q14. */
  b1 = 0;
  b2 = 0;
  b3 = 0;
  b4 = 0;
  b5 = 0;
  b6 = 0;
  /** Quantized differences DLT(t-1)..DLT(t-6). */
  d1 = 0;
  d2 = 0;
  d3 = 0;
  d4 = 0;
  d5 = 0;
  d6 = 0;
  /** Partially reconstructed signal PLT(t-1), PLT(t-2). */
  p1 = 0;
  p2 = 0;
  /** Reconstructed signal RLT(t-1), RLT(t-2). */
  r1 = 0;
  r2 = 0;
  readonly initialDet: number;

  constructor(initialDet: number) {
    this.initialDet = initialDet;
    this.det = initialDet;
  }

  reset(): void {
    this.s = this.sz = this.nb = this.a1 = this.a2 = this.p1 = this.p2 = this.r1 = this.r2 = 0;
    this.b1 = this.b2 = this.b3 = this.b4 = this.b5 = this.b6 = 0;
    this.d1 = this.d2 = this.d3 = this.d4 = this.d5 = this.d6 = 0;
    this.det = this.initialDet;
  }
}

/** A fresh lower-band state (DETL starts at 32). */
export function lowerBand(): BandState {
  return new BandState(32);
}

/** A fresh higher-band state (DETH starts at 8). */
export function higherBand(): BandState {
  return new BandState(8);
}

/** QUANTL: 6-bit lower-band code of the difference `el` for scale factor `detl`. */
export function quantizeLow(el: number, detl: number): number {
  const wd = el >= 0 ? el : -(el + 1);
  // The interval is the first MIL in 1..29 with WD below its scaled decision level, else 30; the
  // levels never decrease, so a binary search finds the same MIL as the Recommendation's scan.
  let lo = 1;
  let hi = 30;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (wd < (Q6[mid]! * detl) >> 12) hi = mid;
    else lo = mid + 1;
  }
  return el < 0 ? ILN[lo]! : ILP[lo]!;
}

/** INVQAL / INVQBL predictor path: quantized difference of the 4 most significant bits of a code. */
export function inverseQuantizeLow4(code: number, detl: number): number {
  return (detl * QM4[code >> 2]!) >> 15;
}

/** INVQBL output path in mode 1: quantized difference of all 6 bits. */
export function inverseQuantizeLow6(code: number, detl: number): number {
  return (detl * QM6[code]!) >> 15;
}

/** LOGSCL and SCALEL: adapts the lower-band scale factor after code `code`. */
export function adaptLow(st: BandState, code: number): void {
  let nb = ((st.nb * 127) >> 7) + WL[RL42[code >> 2]!]!;
  if (nb < 0) nb = 0;
  else if (nb > 18432) nb = 18432;
  st.nb = nb;
  st.det = scale(nb, 8);
}

/** QUANTH: 2-bit higher-band code of the difference `eh` for scale factor `deth`. */
export function quantizeHigh(eh: number, deth: number): number {
  const wd = eh >= 0 ? eh : -(eh + 1);
  const mih = wd >= (564 * deth) >> 12 ? 2 : 1;
  return eh < 0 ? IHN[mih]! : IHP[mih]!;
}

/** INVQAH / INVQBH: quantized higher-band difference of a 2-bit code. */
export function inverseQuantizeHigh(code: number, deth: number): number {
  return (deth * QM2[code]!) >> 15;
}

/** LOGSCH and SCALEH: adapts the higher-band scale factor after code `code`. */
export function adaptHigh(st: BandState, code: number): void {
  let nb = ((st.nb * 127) >> 7) + WH[RH2[code]!]!;
  if (nb < 0) nb = 0;
  else if (nb > 22528) nb = 22528;
  st.nb = nb;
  st.det = scale(nb, 10);
}

/** SCALEL / SCALEH: linear scale factor from the log one through the ILB antilog table. */
function scale(nb: number, offset: number): number {
  const wd1 = (nb >> 6) & 31;
  const wd2 = offset - (nb >> 11);
  const wd3 = wd2 < 0 ? ILB[wd1]! << -wd2 : ILB[wd1]! >> wd2;
  return wd3 << 2;
}

/**
 * RECONS, PARREC, UPPOL2, UPPOL1, UPZERO, DELAYA, FILTEP, FILTEZ and PREDIC: feeds the quantized
 * difference `dq` of this sample through the adaptive predictor and leaves the prediction of the next
 * sample in `st.s`.
 */
export function updatePredictor(st: BandState, dq: number): void {
  const r = sat16(st.s + dq); // RECONS
  const p = sat16(dq + st.sz); // PARREC

  // UPPOL2: second pole coefficient.
  const sg0 = p >> 15;
  const sg1 = st.p1 >> 15;
  const sg2 = st.p2 >> 15;
  const wd1 = sat16(st.a1 * 4);
  let wd2 = sg0 === sg1 ? -wd1 : wd1;
  if (wd2 > 32767) wd2 = 32767; // -(-32768) does not fit 16 bits
  wd2 >>= 7;
  const wd3 = sg0 === sg2 ? 128 : -128;
  let a2 = wd2 + wd3 + ((st.a2 * 32512) >> 15);
  if (a2 > 12288) a2 = 12288;
  else if (a2 < -12288) a2 = -12288;

  // UPPOL1: first pole coefficient, bounded by 15360 - |a2|.
  let a1 = sat16((sg0 === sg1 ? 192 : -192) + ((st.a1 * 32640) >> 15));
  const bound = sat16(15360 - a2);
  if (a1 > bound) a1 = bound;
  else if (a1 < -bound) a1 = -bound;

  // UPZERO: each coefficient leaks by 32640/32768 and moves 128 towards sign agreement of DLT(t)
  // and DLT(t-i) (zero counts as positive); nothing moves when DLT(t) is 0.
  const step = dq === 0 ? 0 : 128;
  const sgd = dq >> 15;
  const b1 = sat16((sgd === st.d1 >> 15 ? step : -step) + ((st.b1 * 32640) >> 15));
  const b2 = sat16((sgd === st.d2 >> 15 ? step : -step) + ((st.b2 * 32640) >> 15));
  const b3 = sat16((sgd === st.d3 >> 15 ? step : -step) + ((st.b3 * 32640) >> 15));
  const b4 = sat16((sgd === st.d4 >> 15 ? step : -step) + ((st.b4 * 32640) >> 15));
  const b5 = sat16((sgd === st.d5 >> 15 ? step : -step) + ((st.b5 * 32640) >> 15));
  const b6 = sat16((sgd === st.d6 >> 15 ? step : -step) + ((st.b6 * 32640) >> 15));

  // DELAYA
  const d6 = st.d5;
  const d5 = st.d4;
  const d4 = st.d3;
  const d3 = st.d2;
  const d2 = st.d1;
  const d1 = dq;
  st.d6 = d6;
  st.d5 = d5;
  st.d4 = d4;
  st.d3 = d3;
  st.d2 = d2;
  st.d1 = d1;
  st.b1 = b1;
  st.b2 = b2;
  st.b3 = b3;
  st.b4 = b4;
  st.b5 = b5;
  st.b6 = b6;
  st.a1 = a1;
  st.a2 = a2;
  st.p2 = st.p1;
  st.p1 = p;
  const r2 = st.r1;
  st.r2 = r2;
  st.r1 = r;

  // FILTEP: pole section over the two last reconstructed samples.
  const sp = sat16(((a1 * sat16(r + r)) >> 15) + ((a2 * sat16(r2 + r2)) >> 15));
  // FILTEZ: zero section over the six last differences.
  st.sz = sat16(
    ((b1 * sat16(d1 + d1)) >> 15) +
      ((b2 * sat16(d2 + d2)) >> 15) +
      ((b3 * sat16(d3 + d3)) >> 15) +
      ((b4 * sat16(d4 + d4)) >> 15) +
      ((b5 * sat16(d5 + d5)) >> 15) +
      ((b6 * sat16(d6 + d6)) >> 15),
  );
  // PREDIC
  st.s = sat16(sp + st.sz);
}
