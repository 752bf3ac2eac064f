/**
 * Playbacks and recordings as the call core tracks them: each gets an id, emits playback.started /
 * playback.stopped (record.started / record.stopped) for its channel or conference, can be stopped by
 * DTMF terminators (FreeSWITCH playback_terminators, jambonz finishOnKey), and always settles: a media
 * layer that throws or rejects turns into a `failed` outcome, never an exception for the caller.
 */
import { errorMessage, uuid, type Logger } from '../lib/index.ts';
import type {
  MediaPlayback, MediaRecording, PlaybackOutcome, PlaySource, RecordOutcome, RecordSink, StopReason,
} from './channel-media.ts';

/** A playback as applications see it; `done` never rejects. */
export interface Playback {
  readonly id: string;
  readonly source: PlaySource;
  readonly done: Promise<PlaybackOutcome>;
  stop(): void;
}

/** A recording as applications see it; `done` never rejects. */
export interface Recording {
  readonly id: string;
  readonly sink: RecordSink;
  readonly done: Promise<RecordOutcome>;
  stop(): void;
}

export interface TrackOptions {
  /** Digits that stop the operation (e.g. `#`, `*#`, `any`). */
  terminators?: string;
  /** Subscribes to received digits; returns the unsubscribe function. */
  onDigit?: (listener: (digit: string) => void) => () => void;
}

interface Hooks<O> {
  log: Logger;
  started(id: string): void;
  stopped(id: string, outcome: O): void;
  /** The owner's set of running operations: added once started, removed once settled. */
  active?: Map<string, { stop(why?: StopReason): void }>;
}

function isTerminator(terminators: string | undefined, digit: string): boolean {
  if (!terminators || terminators === 'none') return false;
  return terminators === 'any' || terminators.includes(digit);
}

function track<H extends { done: Promise<O>; stop(why?: StopReason): void }, O extends { status: string; terminator?: string }>(
  start: () => H,
  failed: (error: string) => O,
  terminated: (outcome: O, digit: string) => O,
  hooks: Hooks<O>,
  options: TrackOptions,
): { id: string; done: Promise<O>; stop(why?: StopReason): void } {
  const id = uuid();
  let handle: H;
  try {
    handle = start();
  } catch (err) {
    hooks.log.warn({ err, id }, 'media operation could not start');
    return { id, done: Promise.resolve(failed(errorMessage(err))), stop: () => {} };
  }
  let terminator: string | undefined;
  let unsubscribe: (() => void) | undefined;
  if (options.terminators && options.onDigit) {
    unsubscribe = options.onDigit((digit) => {
      if (terminator !== undefined || !isTerminator(options.terminators, digit)) return;
      terminator = digit;
      handle.stop();
    });
  }
  hooks.active?.set(id, handle);
  hooks.started(id);
  const done = Promise.resolve(handle.done)
    .then(
      (outcome) => (terminator !== undefined ? terminated(outcome, terminator) : outcome),
      (err: unknown) => failed(errorMessage(err)),
    )
    .then((outcome) => {
      unsubscribe?.();
      hooks.active?.delete(id);
      hooks.stopped(id, outcome);
      return outcome;
    });
  return { id, done, stop: (why?: StopReason) => handle.stop(why) };
}

export function trackPlayback(
  source: PlaySource,
  start: () => MediaPlayback,
  hooks: Hooks<PlaybackOutcome>,
  options: TrackOptions = {},
): Playback {
  const t = track(
    start,
    (error): PlaybackOutcome => ({ status: 'failed', durationMs: 0, error }),
    (outcome, terminator): PlaybackOutcome => ({ ...outcome, status: 'stopped', terminator }),
    hooks,
    options,
  );
  return { ...t, source };
}

export function trackRecording(
  sink: RecordSink,
  start: () => MediaRecording,
  hooks: Hooks<RecordOutcome>,
  options: TrackOptions = {},
): Recording {
  const t = track(
    start,
    (error): RecordOutcome => ({ status: 'failed', durationMs: 0, error }),
    (outcome, terminator): RecordOutcome => ({ ...outcome, status: 'stopped', reason: 'terminator', terminator }),
    hooks,
    options,
  );
  return { ...t, sink };
}

/** A playback that never started (no media, leg gone). */
export function failedPlayback(source: PlaySource, error: string): Playback {
  return { id: uuid(), source, done: Promise.resolve({ status: 'failed', durationMs: 0, error }), stop: () => {} };
}

export function failedRecording(sink: RecordSink, error: string): Recording {
  return { id: uuid(), sink, done: Promise.resolve({ status: 'failed', durationMs: 0, error }), stop: () => {} };
}
