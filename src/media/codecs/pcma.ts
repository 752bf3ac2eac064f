/**
 * ITU-T G.711 A-law (PCMA, RFC 3551 section 4.5.14, static payload type 8). Compression follows the G.711
 * A-law on the 13-bit magnitude (segment 0 and 1 linear, then one segment per octave) with the
 * sign handling of the ITU-T G.191 reference tools (a negative 16-bit sample x is taken as the
 * magnitude of ~x); even bits are inverted (XOR 0x55) as G.711 requires on the line. Expansion
 * returns the interval midpoints of the G.711 A-law table scaled to 16 bits (range -32256..32256).
 *
 * Both directions are tables built once per process: 64K bytes to encode, 256 Int16 to decode.
 */

/** Compresses one 16-bit linear sample to an A-law octet (computed; the codec uses the table). */
export function alawCompress(sample: number): number {
  const x = sample | 0;
  const positive = x >= 0;
  let m = (positive ? x : ~x) >> 4; // 12-bit magnitude (13-bit code with the sign)
  let code: number;
  if (m < 16) {
    code = m;
  } else {
    let exponent = 1;
    while (m > 31) {
      m >>= 1;
      exponent++;
    }
    code = (exponent << 4) | (m - 16);
  }
  if (positive) code |= 0x80;
  return code ^ 0x55;
}

/** Expands an A-law octet to a 16-bit linear sample. */
export function alawExpand(code: number): number {
  const a = (code ^ 0x55) & 0xff;
  const exponent = (a >> 4) & 0x07;
  let mantissa = a & 0x0f;
  if (exponent > 0) mantissa += 16;
  let magnitude = (mantissa << 4) + 8;
  if (exponent > 1) magnitude <<= exponent - 1;
  return a & 0x80 ? magnitude : -magnitude;
}

/** A-law code for every 16-bit sample, indexed by `sample & 0xffff`. */
export const ALAW_ENCODE_TABLE: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = alawCompress((i << 16) >> 16);
  return t;
})();

/** 16-bit linear value of every A-law code. */
export const ALAW_DECODE_TABLE: Int16Array = (() => {
  const t = new Int16Array(256);
  for (let i = 0; i < 256; i++) t[i] = alawExpand(i);
  return t;
})();
