/**
 * DTMF digits, their RFC 4733 event codes (section 3.2, table 7: 0-9, * = 10, # = 11, A-D = 12-15,
 * flash = 16) and their ITU-T Q.23 frequency pairs (low group 697/770/852/941 Hz, high group
 * 1209/1336/1477/1633 Hz).
 */
import { DtmfError } from './dtmf-error.ts';

export type DtmfDigit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/** Every DTMF digit in event-code order (index = RFC 4733 event code). */
export const DTMF_DIGITS: readonly DtmfDigit[] = [
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D',
];

/** RFC 4733 event code of hook flash. */
export const FLASH_EVENT = 16;

/** Q.23 low-group (row) frequencies in Hz. */
export const DTMF_ROW_FREQUENCIES: readonly number[] = [697, 770, 852, 941];
/** Q.23 high-group (column) frequencies in Hz. */
export const DTMF_COLUMN_FREQUENCIES: readonly number[] = [1209, 1336, 1477, 1633];

/** Keypad layout: row by row, column by column (Q.23 figure 1). */
const KEYPAD: readonly (readonly DtmfDigit[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

/** Narrows a string to a DTMF digit; accepts a-d in lower case and returns them upper case. */
export function toDtmfDigit(s: string): DtmfDigit | undefined {
  if (s.length !== 1) return undefined;
  const up = s.toUpperCase();
  return (DTMF_DIGITS as readonly string[]).includes(up) ? (up as DtmfDigit) : undefined;
}

/** RFC 4733 event code of a digit (a-d accepted in lower case); undefined if it is not one. */
export function digitToEvent(digit: string): number | undefined {
  const d = toDtmfDigit(digit);
  return d === undefined ? undefined : DTMF_DIGITS.indexOf(d);
}

/** The digit of an RFC 4733 event code 0-15; undefined for flash and other events. */
export function eventToDigit(event: number): DtmfDigit | undefined {
  return Number.isInteger(event) && event >= 0 && event < 16 ? DTMF_DIGITS[event] : undefined;
}

/** The Q.23 row (low) and column (high) frequencies of a digit. */
export function dtmfFrequencies(digit: DtmfDigit): [low: number, high: number] {
  for (let r = 0; r < 4; r++) {
    const c = KEYPAD[r]!.indexOf(digit);
    if (c >= 0) return [DTMF_ROW_FREQUENCIES[r]!, DTMF_COLUMN_FREQUENCIES[c]!];
  }
  throw new DtmfError('MEDIA_DTMF_EVENT', `"${String(digit)}" is not a DTMF digit`);
}

/** The digit at keypad row `row` (0-3) and column `column` (0-3). */
export function keypadDigit(row: number, column: number): DtmfDigit | undefined {
  return KEYPAD[row]?.[column];
}
