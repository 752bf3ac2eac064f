/**
 * The header-value encoder of FreeSWITCH's event serializer (specs/esl.md §1.5, switch_url_encode_opt):
 * bytes outside 0x20..0x7E and a fixed set of punctuation become %XX (uppercase hex); a `%` already
 * followed by two uppercase hex digits is left alone; an empty value prints as `_undef_`.
 */

const RESERVED = new Set([...'\r\n #%&+:;<=>?@[\\]^`{|}"'].map((c) => c.charCodeAt(0)));
const HEX = '0123456789ABCDEF';

function isUpperHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46));
}

export function urlEncode(value: string): string {
  if (value === '') return '_undef_';
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x25 && isUpperHex(bytes[i + 1]) && isUpperHex(bytes[i + 2])) {
      out += '%';
      continue;
    }
    if (b < 0x20 || b > 0x7e || RESERVED.has(b)) out += '%' + HEX[b >> 4]! + HEX[b & 15]!;
    else out += String.fromCharCode(b);
  }
  return out;
}
