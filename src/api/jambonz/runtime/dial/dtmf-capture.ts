/**
 * `dtmfCapture` of the dial verb (specs/jambonz.md §3.A, §2.4 dial dtmfHook `dtmf`): digits pressed on
 * a leg during the bridge are matched against the capture patterns (e.g. `*2`, `##`); a match calls
 * dtmfHook with the pattern and starts over. `dtmfCapture` is an array (patterns for the A leg), or
 * `{parentCall: [...], childCall: [...]}`. Pure.
 */
import { asRecord } from '../verb-data.ts';

export interface CapturePatterns {
  parent: string[];
  child: string[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

export function capturePatterns(value: unknown): CapturePatterns {
  if (Array.isArray(value)) return { parent: strings(value), child: [] };
  const r = asRecord(value);
  return { parent: strings(r?.['parentCall']), child: strings(r?.['childCall']) };
}

export class DtmfMatcher {
  readonly #patterns: string[];
  readonly #max: number;
  #buffer = '';

  constructor(patterns: readonly string[]) {
    this.#patterns = [...patterns];
    this.#max = Math.max(0, ...patterns.map((p) => p.length));
  }

  /** Adds a digit; returns the pattern it completed, if any. */
  feed(digit: string): string | undefined {
    if (this.#max === 0) return undefined;
    this.#buffer = (this.#buffer + digit).slice(-this.#max);
    const hit = this.#patterns.find((p) => this.#buffer.endsWith(p));
    if (hit !== undefined) this.#buffer = '';
    return hit;
  }
}
