/**
 * `queue_dtmf <digits>[@<tone_ms>]` and `flush_dtmf` (specs/esl.md §6). queue_dtmf puts digits on the
 * leg as if the caller had pressed them (DTMF events with `DTMF-Source: APP`; read and
 * play_and_get_digits take them). The core delivers every received digit at once and keeps no queue of
 * unread digits, so flush_dtmf has nothing to drop and always succeeds.
 */
import type { AppFn } from '../apps.ts';

const DEFAULT_TONE_MS = 100;

/** `<digits>[@<ms>]` -> the valid digits and their duration. */
export function parseQueueDtmf(arg: string): { digits: string[]; durationMs: number } {
  const [digits = '', ms] = arg.trim().split('@');
  const duration = Number(ms);
  return {
    digits: [...digits].filter((d) => /^[0-9*#A-Da-d]$/.test(d)),
    durationMs: Number.isFinite(duration) && duration > 0 ? duration : DEFAULT_TONE_MS,
  };
}

export const queueDtmf: AppFn = async (ch, arg) => {
  const { digits, durationMs } = parseQueueDtmf(arg);
  if (digits.length === 0) return '-ERR';
  for (const d of digits) ch.dtmf(d, durationMs, 'app');
  return '_none_';
};

export const flushDtmf: AppFn = async () => '_none_';
