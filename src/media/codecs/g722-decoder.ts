/**
 * G.722 SB-ADPCM decoder at 64 kbit/s (ITU-T G.722 SB-ADPCM decoder): each octet carries a 6-bit lower-band
 * and a 2-bit higher-band code; both bands are reconstructed by ADPCM (the lower band
 * through the 6-bit inverse quantizer of mode 1 for output and the 4-bit one for prediction) and the
 * receive QMF interpolates them into two 16 kHz samples, output as 16-bit linear PCM.
 * The QMF taps are the G.722 QMF coefficients (QMF_COEFFS in g722-band.ts) written out.
 */
import type { BandState } from './g722-band.ts';
import {
  adaptHigh,
  adaptLow,
  higherBand,
  inverseQuantizeHigh,
  inverseQuantizeLow4,
  inverseQuantizeLow6,
  lowerBand,
  sat16,
  updatePredictor,
} from './g722-band.ts';

/** LIMIT (sections 4.2.4 and 4.2.8): decoded sub-band samples are 15-bit values. */
function limit15(x: number): number {
  return x > 16383 ? 16383 : x < -16384 ? -16384 : x;
}

export class G722Decoder {
  /**
   * Receive QMF histories of xd = rl - rh and xs = rl + rh, newest first from #at, each value
   * written twice, 12 apart, so the 12-sample windows are contiguous.
   */
  readonly #xd = new Int32Array(24);
  readonly #xs = new Int32Array(24);
  #at = 0;
  readonly #low: BandState = lowerBand();
  readonly #high: BandState = higherBand();

  /** Decodes `count` octets of `payload` into 2 * count samples of `out`. */
  decode(payload: Uint8Array, count: number, out: Int16Array): number {
    const xd = this.#xd;
    const xs = this.#xs;
    const low = this.#low;
    const high = this.#high;
    let at = this.#at;
    let o = 0;
    for (let i = 0; i < count; i++) {
      const code = payload[i]!;
      const il = code & 0x3f;
      const ih = code >> 6;

      // Lower band: INVQBL (6-bit output, 4-bit prediction), LOGSCL/SCALEL, predictor.
      const rl = limit15(low.s + inverseQuantizeLow6(il, low.det));
      const dl = inverseQuantizeLow4(il, low.det);
      adaptLow(low, il);
      updatePredictor(low, dl);

      // Higher band: INVQAH, LOGSCH/SCALEH, predictor.
      const dh = inverseQuantizeHigh(ih, high.det);
      const rh = limit15(high.s + dh);
      adaptHigh(high, ih);
      updatePredictor(high, dh);

      // Receive QMF: even taps on xd, odd taps on xs.
      at = at === 0 ? 11 : at - 1;
      xd[at] = xd[at + 12] = rl - rh;
      xs[at] = xs[at + 12] = rl + rh;
      const sumEven =
        3 * xd[at]! - 11 * xd[at + 1]! + 12 * xd[at + 2]! + 32 * xd[at + 3]! - 210 * xd[at + 4]! +
        951 * xd[at + 5]! + 3876 * xd[at + 6]! - 805 * xd[at + 7]! + 362 * xd[at + 8]! - 156 * xd[at + 9]! +
        53 * xd[at + 10]! - 11 * xd[at + 11]!;
      const sumOdd =
        -11 * xs[at]! + 53 * xs[at + 1]! - 156 * xs[at + 2]! + 362 * xs[at + 3]! - 805 * xs[at + 4]! +
        3876 * xs[at + 5]! + 951 * xs[at + 6]! - 210 * xs[at + 7]! + 32 * xs[at + 8]! + 12 * xs[at + 9]! -
        11 * xs[at + 10]! + 3 * xs[at + 11]!;
      out[o++] = sat16(sumEven >> 11);
      out[o++] = sat16(sumOdd >> 11);
    }
    this.#at = at;
    return o;
  }

  reset(): void {
    this.#xd.fill(0);
    this.#xs.fill(0);
    this.#at = 0;
    this.#low.reset();
    this.#high.reset();
  }
}
