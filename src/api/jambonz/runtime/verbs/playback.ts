/**
 * Playing one source to the caller under an abort signal, and the sources the `say` verb passes
 * through without synthesis (specs/jambonz.md §3.A: array items may be audio URLs or
 * `silence_stream://ms`).
 */
import type { Channel, PlaybackOutcome, PlayOptions } from '../../../../core/index.ts';

const PASS_THROUGH = /^(https?:\/\/|silence_stream:\/\/|tone_stream:\/\/|file:\/\/)/i;

export function isAudioSource(text: string): boolean {
  return PASS_THROUGH.test(text.trim());
}

/** Plays `source`; the abort signal stops it. Never rejects. */
export async function playOnce(channel: Channel, source: string, options: PlayOptions, signal: AbortSignal): Promise<PlaybackOutcome> {
  if (signal.aborted) return { status: 'stopped', durationMs: 0 };
  const playback = channel.play(source, options);
  const stop = (): void => playback.stop();
  signal.addEventListener('abort', stop, { once: true });
  try {
    return await playback.done;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** Loop count of say/play: `loop` number (0 = forever) or "forever"; default 1. */
export function loopsOf(value: unknown): number {
  if (value === 'forever') return 0;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.floor(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return 1;
}

/** Upper bound on iterations of a "forever" loop whose sources all fail at once. */
export const MAX_FAILING_LOOPS = 3;
