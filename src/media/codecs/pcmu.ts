/**
 * ITU-T G.711 mu-law (PCMU, RFC 3551 section 4.5.14, static payload type 0). Compression follows the G.711
 * mu-law on the 14-bit magnitude (bias 33, eight segments of sixteen steps), with the sign handling
 * of the ITU-T G.191 reference tools: a negative 16-bit sample x is taken as the magnitude of ~x, so the
 * conversion is symmetric around -0.5. Expansion returns the segment midpoints of the G.711 mu-law table scaled
 * to 16 bits (range -32124..32124).
 *
 * Both directions are tables built once per process: 64K bytes to encode, 256 Int16 to decode.
 */

/** Compresses one 16-bit linear sample to a mu-law octet (computed; the codec uses the table). */
export function ulawCompress(sample: number): number {
  const x = sample | 0;
  const negative = x < 0;
  // 14-bit magnitude, ones-complement for negatives (G.191), plus the G.711 bias of 33.
  let m = (negative ? ~x : x) >> 2;
  m += 33;
  if (m > 0x1fff) m = 0x1fff;
  // Segment: position of the highest set bit above bit 5 (m is in 33..8191).
  let seg = 0;
  for (let v = m >> 6; v !== 0; v >>= 1) seg++;
  const mantissa = (m >> (seg + 1)) & 0x0f;
  const code = (seg << 4) | mantissa;
  return negative ? 0x7f - code : 0xff - code;
}

/** Expands a mu-law octet to a 16-bit linear sample. */
export function ulawExpand(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 132) << exponent) - 132;
  return u & 0x80 ? -magnitude | 0 : magnitude;
}

/** mu-law code for every 16-bit sample, indexed by `sample & 0xffff`. */
export const ULAW_ENCODE_TABLE: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = ulawCompress((i << 16) >> 16);
  return t;
})();

/** 16-bit linear value of every mu-law code. */
export const ULAW_DECODE_TABLE: Int16Array = (() => {
  const t = new Int16Array(256);
  for (let i = 0; i < 256; i++) t[i] = ulawExpand(i);
  return t;
})();
