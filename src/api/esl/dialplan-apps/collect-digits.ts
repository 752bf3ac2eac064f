/**
 * Digit collection shared by `read` and `play_and_get_digits` (specs/esl.md §6): an optional prompt
 * that any digit interrupts (the digit counts), then up to `max` digits, ended by a terminator, by
 * `max`, or by the first-digit / inter-digit timeout on the switch clock.
 */
import type { Channel, Switch } from '../../../core/index.ts';

export interface CollectOptions {
  min: number;
  max: number;
  /** Terminator digits (`#`, `*#`); `none` or empty: none. */
  terminators: string;
  /** Wait for the first digit after the prompt. */
  timeoutMs: number;
  /** Wait between digits (default timeoutMs). */
  digitTimeoutMs?: number;
  prompt?: string;
}

export interface Collected {
  digits: string;
  terminator?: string;
  /** FreeSWITCH read_result. */
  result: 'success' | 'timeout' | 'failure';
}

const ALL_DIGITS = '0123456789*#ABCD';

export function collectDigits(sw: Switch, channel: Channel, o: CollectOptions): Promise<Collected> {
  const terminators = o.terminators === 'none' ? '' : o.terminators;
  return new Promise((resolve) => {
    let digits = '';
    let done = false;
    let timer: { cancel(): void } | undefined;
    let prompting = o.prompt !== undefined && o.prompt !== '';
    const offs: (() => void)[] = [];
    const finish = (c: Collected): void => {
      if (done) return;
      done = true;
      timer?.cancel();
      for (const off of offs) off();
      resolve(c);
    };
    const arm = (ms: number): void => {
      timer?.cancel();
      timer = sw.clock.setTimeout(() => {
        finish({ digits, result: digits.length >= o.min && digits.length > 0 ? 'success' : 'timeout' });
      }, ms);
    };
    offs.push(channel.on('dtmf', ({ digit }) => {
      if (done) return;
      if (terminators.includes(digit)) {
        finish({ digits, terminator: digit, result: digits.length >= o.min ? 'success' : 'failure' });
        return;
      }
      digits += digit;
      if (digits.length >= o.max) finish({ digits, result: 'success' });
      else if (!prompting) arm(o.digitTimeoutMs ?? o.timeoutMs);
    }));
    offs.push(channel.on('hangup', () => finish({ digits, result: 'failure' })));
    if (prompting) {
      void channel.play(o.prompt!, { terminators: ALL_DIGITS }).done.then(() => {
        prompting = false;
        if (!done) arm(digits.length > 0 ? o.digitTimeoutMs ?? o.timeoutMs : o.timeoutMs);
      });
    } else {
      arm(o.timeoutMs);
    }
  });
}
