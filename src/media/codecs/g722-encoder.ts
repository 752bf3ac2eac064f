/**
 * G.722 SB-ADPCM encoder at 64 kbit/s (ITU-T G.722 SB-ADPCM encoder): the transmit QMF splits
 * two 16 kHz input samples into one lower- and one higher-band sample, which are ADPCM-coded into 6 and
 * 2 bits and packed as one octet, higher band in the two most significant bits.
 *
 * The QMF taps are the G.722 QMF coefficients (QMF_COEFFS in g722-band.ts) written out.
 * Input is 16-bit linear PCM; the Recommendation's 14-bit input is its top 14 bits, and the QMF
 * output is scaled so the sub-band signals sit where the Recommendation puts them (as every
 * 16-bit G.722 implementation on the network does).
 */
import type { BandState } from './g722-band.ts';
import {
  adaptHigh,
  adaptLow,
  higherBand,
  inverseQuantizeHigh,
  inverseQuantizeLow4,
  lowerBand,
  quantizeHigh,
  quantizeLow,
  sat16,
  updatePredictor,
} from './g722-band.ts';

export class G722Encoder {
  /**
   * Input history, newest first from #at: x[#at + k] is x(j - k) for k = 0..23. Every sample is
   * written twice, 24 apart, so the 24-sample window is always contiguous.
   */
  readonly #x = new Int32Array(48);
  #at = 0;
  readonly #low: BandState = lowerBand();
  readonly #high: BandState = higherBand();

  /** Encodes `count` samples of `pcm` (an even number) into count / 2 octets of `out`. */
  encode(pcm: Int16Array, count: number, out: Uint8Array): number {
    const x = this.#x;
    const low = this.#low;
    const high = this.#high;
    let at = this.#at;
    let o = 0;
    for (let i = 0; i + 1 < count; i += 2) {
      // Transmit QMF: two samples in, newest at x[at].
      at = at === 0 ? 22 : at - 2;
      const older = pcm[i]!;
      const newer = pcm[i + 1]!;
      x[at] = x[at + 24] = newer;
      x[at + 1] = x[at + 25] = older;
      // Even taps h0, h2 .. h22 on x(j), x(j-2) ..; odd taps h1 .. h23 on x(j-1), x(j-3) ..
      const sumEven =
        3 * x[at]! - 11 * x[at + 2]! + 12 * x[at + 4]! + 32 * x[at + 6]! - 210 * x[at + 8]! + 951 * x[at + 10]! +
        3876 * x[at + 12]! - 805 * x[at + 14]! + 362 * x[at + 16]! - 156 * x[at + 18]! + 53 * x[at + 20]! -
        11 * x[at + 22]!;
      const sumOdd =
        -11 * x[at + 1]! + 53 * x[at + 3]! - 156 * x[at + 5]! + 362 * x[at + 7]! - 805 * x[at + 9]! +
        3876 * x[at + 11]! + 951 * x[at + 13]! - 210 * x[at + 15]! + 32 * x[at + 17]! + 12 * x[at + 19]! -
        11 * x[at + 21]! + 3 * x[at + 23]!;
      const xl = sat16((sumEven + sumOdd) >> 14);
      const xh = sat16((sumEven - sumOdd) >> 14);

      // Lower band: SUBTRA, QUANTL, INVQAL, LOGSCL/SCALEL, predictor.
      const il = quantizeLow(sat16(xl - low.s), low.det);
      const dl = inverseQuantizeLow4(il, low.det);
      adaptLow(low, il);
      updatePredictor(low, dl);

      // Higher band: SUBTRA, QUANTH, INVQAH, LOGSCH/SCALEH, predictor.
      const ih = quantizeHigh(sat16(xh - high.s), high.det);
      const dh = inverseQuantizeHigh(ih, high.det);
      adaptHigh(high, ih);
      updatePredictor(high, dh);

      out[o++] = (ih << 6) | il;
    }
    this.#at = at;
    return o;
  }

  reset(): void {
    this.#x.fill(0);
    this.#at = 0;
    this.#low.reset();
    this.#high.reset();
  }
}
