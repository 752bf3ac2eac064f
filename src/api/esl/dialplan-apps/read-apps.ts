/**
 * `read` and `play_and_get_digits` (specs/esl.md §6):
 * `read <min> <max> <file> <var> <timeout_ms> <terminators> [<digit_timeout_ms>]` sets `<var>`,
 * `read_result` (success / timeout / failure) and `read_terminator_used`;
 * `play_and_get_digits <min> <max> <tries> <timeout_ms> <terminators> <file> <invalid_file> <var> <regex>
 * [<digit_timeout_ms>] ['<fail_ext> [<dialplan> [<context>]]']` retries up to `<tries>` times until the
 * digits match the regex, plays `<invalid_file>` after a bad try and keeps it in `<var>_invalid`; on
 * failure `<var>` is unset and, with a fail extension, the leg is routed there.
 */
import type { AppFn } from '../apps.ts';
import { collectDigits } from './collect-digits.ts';

async function needMedia(ch: Parameters<AppFn>[0]): Promise<void> {
  if (ch.direction === 'inbound' && !ch.answered) await ch.preAnswer();
}

function int(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return Number.isFinite(n) && text !== undefined && text !== '' ? Math.floor(n) : fallback;
}

export const read: AppFn = async (ch, arg, runner) => {
  const [min, max, file, variable, timeout, terminators, digitTimeout] = arg.trim().split(/\s+/);
  if (variable === undefined) return '-ERR';
  await needMedia(ch);
  const timeoutMs = int(timeout, 5000);
  const got = await collectDigits(runner.sw, ch, {
    min: int(min, 0), max: Math.max(1, int(max, 128)), terminators: terminators ?? '#', timeoutMs,
    digitTimeoutMs: int(digitTimeout, timeoutMs),
    ...(file !== undefined && file !== '' && file !== 'silence' ? { prompt: file } : {}),
  });
  if (ch.ended) return '_none_';
  ch.setVariable(variable, got.digits);
  ch.setVariable('read_result', got.result);
  ch.setVariable('read_terminator_used', got.terminator);
  return '_none_';
};

/** Splits on spaces, keeping a single-quoted last part (the fail extension) together. */
function words(arg: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|(\S+)/g;
  for (let m = re.exec(arg); m; m = re.exec(arg)) out.push(m[1] ?? m[2] ?? '');
  return out;
}

export const playAndGetDigits: AppFn = async (ch, arg, runner) => {
  const w = words(arg);
  const [min, max, tries, timeout, terminators, file, invalid, variable, regex, digitTimeout, failExt] = w;
  if (variable === undefined) return '-ERR';
  await needMedia(ch);
  let pattern: RegExp | undefined;
  try {
    pattern = regex === undefined || regex === '' ? undefined : new RegExp(regex);
  } catch {
    pattern = undefined;
  }
  const minN = int(min, 1);
  const maxN = Math.max(1, int(max, 1));
  const timeoutMs = int(timeout, 5000);
  for (let i = 0; i < Math.max(1, int(tries, 1)) && !ch.ended; i++) {
    const got = await collectDigits(runner.sw, ch, {
      min: minN, max: maxN, terminators: terminators ?? '#', timeoutMs, digitTimeoutMs: int(digitTimeout, timeoutMs),
      ...(file !== undefined && file !== '' ? { prompt: file } : {}),
    });
    if (ch.ended) break;
    ch.setVariable('read_result', got.result);
    ch.setVariable('read_terminator_used', got.terminator);
    const okLength = got.digits.length >= minN && got.digits.length <= maxN;
    if (okLength && (pattern === undefined || pattern.test(got.digits))) {
      ch.setVariable(variable, got.digits);
      return '_none_';
    }
    if (got.digits !== '') ch.setVariable(`${variable}_invalid`, got.digits);
    if (invalid !== undefined && invalid !== '' && invalid !== 'silence_stream://0') await ch.play(invalid).done;
  }
  ch.setVariable(variable, undefined);
  if (!ch.ended && failExt !== undefined && failExt !== '') {
    const dest = failExt.split(/\s+/)[0] ?? '';
    runner.parks.markTaken(ch);
    void runner.sw.route(ch, { destination: dest });
  }
  return '_none_';
};
