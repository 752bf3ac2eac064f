/**
 * Filler noise (specs/jambonz.md §3.A `config.fillerNoise {enable, url, startDelaySecs}`, the gather
 * property of the same name; the original's call-session.js and gather.js): while the application
 * keeps the caller waiting, `url` plays to the caller, looped, and stops the moment it answers.
 *
 * - while an actionHook (`verb:hook`) is unanswered: after `startDelaySecs` (0: at once); the verb's own
 *   `fillerNoise` merges over the session's, as the original's gather does;
 * - while a WebSocket application's session is idle (its verb stack empty, waiting for a command): at
 *   once, as the original's `_awaitCommandsOrHangup`.
 *
 * Only an answered call hears it. Differences: the original plays it for a gather's actionHook only
 * (after digits or speech); here every actionHook the session waits on has it.
 */
import type { Channel, Playback } from '../../../core/index.ts';
import type { Clock, Logger, TimerHandle } from '../../../lib/index.ts';
import { asBoolean, asNumber, asRecord, asString } from './verb-data.ts';

export interface FillerNoise {
  readonly url: string;
  readonly startDelayMs: number;
}

/**
 * The filler noise of a `fillerNoise` object merged over `base` (the session's): undefined when it is
 * off (`enable: false`, or no url anywhere).
 */
export function fillerNoiseOf(value: unknown, base?: FillerNoise): FillerNoise | undefined {
  const v = asRecord(value);
  if (!v) return base;
  if (asBoolean(v['enable']) === false || asBoolean(v['enabled']) === false) return undefined;
  const url = asString(v['url']) ?? base?.url;
  if (!url) return undefined;
  const delay = asNumber(v['startDelaySecs']);
  return { url, startDelayMs: delay !== undefined ? Math.max(0, delay * 1000) : base?.startDelayMs ?? 0 };
}

export interface FillerHandle {
  /** Stops the noise (or its pending start) at once; idempotent. */
  stop(): void;
}

/** Plays `filler` to `channel` (looped) after its delay, or at once with `immediate`, until stop(). */
export function startFillerNoise(channel: Channel, clock: Clock, log: Logger, filler: FillerNoise, immediate = false): FillerHandle {
  let playback: Playback | undefined;
  let stopped = false;
  const begin = (): void => {
    if (stopped || channel.ended || !channel.answered) return;
    log.debug({ url: filler.url }, 'filler noise started');
    const p = channel.play(filler.url, { loops: 0 });
    playback = p;
    void p.done.then((outcome) => {
      if (outcome.status === 'failed') log.warn({ url: filler.url, err: outcome.error }, 'filler noise failed');
    });
  };
  let timer: TimerHandle | undefined;
  if (immediate || filler.startDelayMs <= 0) begin();
  else timer = clock.setTimeout(begin, filler.startDelayMs);
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      timer?.cancel();
      playback?.stop();
    },
  };
}
