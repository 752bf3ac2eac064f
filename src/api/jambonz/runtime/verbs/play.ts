/**
 * `play` (specs/jambonz.md §3.A, §2.4): `url` string or array, `loop` (0 = forever), `seekOffset`
 * (samples, first file), `timeoutSecs` (stops playing), `earlyMedia`; the actionHook gets
 * `reason: 'playCompleted'` with `playback_seconds`, `playback_milliseconds`, `playback_last_offset_pos`,
 * or `{status: 'fail', reason: 'playFailed'}`.
 */
import { asNumber, type VerbData } from '../verb-data.ts';
import { MAX_FAILING_LOOPS, loopsOf, playOnce } from './playback.ts';
import { hookOf, type VerbContext, type VerbHandler, type VerbServices } from './verb.ts';

export function urlsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((t): t is string => typeof t === 'string');
  return [];
}

export interface PlayResult {
  failed: boolean;
  durationMs: number;
  lastOffset: number;
}

/** Plays the verb's URLs; used by `play` and by gather's nested prompt. */
export async function playUrls(s: VerbServices, verb: VerbData, signal: AbortSignal): Promise<PlayResult> {
  const urls = urlsOf(verb['url']);
  const result: PlayResult = { failed: false, durationMs: 0, lastOffset: 0 };
  if (urls.length === 0) return { ...result, failed: true };
  const loops = loopsOf(verb['loop']);
  const seek = asNumber(verb['seekOffset']);
  let first = true;
  let failing = 0;
  for (let i = 0; loops === 0 || i < loops; i++) {
    let played = false;
    for (const url of urls) {
      if (signal.aborted || s.channel.ended) return result;
      s.notifyStatus({ event: 'start-playback' }, verb);
      const options = first && seek !== undefined && seek > 0 ? { offsetSamples: Math.floor(seek) } : {};
      first = false;
      const outcome = await playOnce(s.channel, url, options, signal);
      s.notifyStatus({ event: signal.aborted ? 'kill-playback' : 'stop-playback' }, verb);
      if (outcome.status === 'failed') {
        s.log.warn({ url, error: outcome.error }, 'play: playback failed');
        result.failed = true;
        continue;
      }
      played = true;
      result.failed = false;
      result.durationMs += outcome.durationMs;
      result.lastOffset = outcome.offsetSamples ?? Math.round((outcome.durationMs * 8000) / 1000);
    }
    failing = played ? 0 : failing + 1;
    if (failing >= MAX_FAILING_LOOPS) return result;
  }
  return result;
}

export const play: VerbHandler = {
  name: 'play',
  precondition: 'endpoint',
  async exec(ctx: VerbContext): Promise<void> {
    const { services: s, verb } = ctx;
    const timeoutSecs = asNumber(verb['timeoutSecs']);
    const controller = new AbortController();
    const forward = (): void => controller.abort();
    ctx.signal.addEventListener('abort', forward, { once: true });
    const timer = timeoutSecs !== undefined && timeoutSecs > 0 ? s.clock.setTimeout(forward, timeoutSecs * 1000) : undefined;
    let result: PlayResult;
    try {
      result = await playUrls(s, verb, controller.signal);
    } finally {
      timer?.cancel();
      ctx.signal.removeEventListener('abort', forward);
    }
    if (ctx.signal.aborted || s.channel.ended) return;
    const payload: Record<string, unknown> = result.failed
      ? { status: 'fail', reason: 'playFailed' }
      : {
        reason: 'playCompleted',
        playback_seconds: Math.floor(result.durationMs / 1000),
        playback_milliseconds: Math.round(result.durationMs),
        playback_last_offset_pos: result.lastOffset,
      };
    await s.performAction(hookOf(verb['actionHook']), payload, verb);
  },
};
