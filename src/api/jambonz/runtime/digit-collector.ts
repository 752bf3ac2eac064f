/**
 * The digit rules of the gather verb (specs/jambonz.md §3.A, §6.4), as the original applies them per
 * digit: `finishOnKey` ends collection (the key itself is not included), reaching `numDigits` or
 * `maxDigits` ends it, and otherwise an inter-digit timer (`interDigitTimeout`) runs once at least
 * `minDigits` digits are in. When the overall timeout fires with no inter-digit timer running, the
 * result is the digits if there are at least `minDigits`, else `timeout`. Pure: timers are the caller's.
 */
export interface DigitRules {
  numDigits?: number;
  minDigits: number;
  maxDigits?: number;
  finishOnKey?: string;
  /** 0 = no inter-digit timer. */
  interDigitTimeoutMs: number;
}

export type DigitStep =
  | { done: true; why: 'terminator' | 'complete' }
  | { done: false; startInterDigitTimer: boolean };

export class DigitCollector {
  readonly rules: DigitRules;
  #digits = '';

  constructor(rules: DigitRules) {
    this.rules = rules;
  }

  get digits(): string {
    return this.#digits;
  }

  push(digit: string): DigitStep {
    const r = this.rules;
    if (r.finishOnKey !== undefined && r.finishOnKey !== '' && digit === r.finishOnKey) return { done: true, why: 'terminator' };
    this.#digits += digit;
    const n = this.#digits.length;
    if (n === r.numDigits || n === r.maxDigits) return { done: true, why: 'complete' };
    return { done: false, startInterDigitTimer: r.interDigitTimeoutMs > 0 && n >= r.minDigits };
  }

  /** What the overall timeout yields: the digits collected if enough, else nothing. */
  onTimeout(): { reason: 'dtmfDetected'; digits: string } | { reason: 'timeout' } {
    const n = this.#digits.length;
    return n > 0 && n >= this.rules.minDigits ? { reason: 'dtmfDetected', digits: this.#digits } : { reason: 'timeout' };
  }
}
