/**
 * The outcomes of playbacks and recordings as core's MediaPlayback / MediaRecording, followed from the
 * typed events of what plays or records them: a MediaSession or a ConferenceRoom in this thread, or their
 * handles in a media worker (RemoteSession, RemoteRoom), which emit the same events with the same
 * payloads. Each outcome settles exactly once and never rejects:
 * - a playback from `playback.stopped` of its id (finished -> done, stopped -> stopped, error -> failed),
 *   timed from its `playback.started`; `closed` of the target settles it `stopped`;
 * - a recording (or tap) from its feed's stop event: the limit that ended it (max-duration, silence),
 *   else the stop asked for, else hangup when the target closed; an error -> failed. The stop event of a
 *   recording follows `closed` (its file is finished asynchronously), so `closed` settles it only as a
 *   fallback: at once when the media worker itself went away (nothing else will come), else after a grace
 *   period.
 */
import { errorMessage, systemClock, type Clock, type Logger, type TimerHandle } from '../../lib/index.ts';
import { WORKER_EXITED, type FeedStopped, type PlaybackStopReason, type SinkLimits } from '../../media/index.ts';
import type { MediaPlayback, MediaRecordOptions, MediaRecording, PlaybackOutcome, RecordOutcome } from '../../core/index.ts';

type Off = () => void;

/** The events a playback is followed by (those of MediaSession, ConferenceRoom, RemoteSession, RemoteRoom). */
export interface PlaybackEvents {
  on(event: 'playback.started', listener: (e: { id: string }) => void): Off;
  on(event: 'playback.stopped', listener: (e: { id: string; reason: PlaybackStopReason; error?: string }) => void): Off;
  on(event: 'closed', listener: (e: { reason: string }) => void): Off;
}

/** The stop event of a recording: `recording.stopped`, or `tap.stopped` for a tap of a session. */
export type FeedEvent = 'recording.stopped' | 'tap.stopped';

/** The events a recording is followed by: its feed's stop event and `closed`. */
export interface FeedEvents<F extends FeedEvent> {
  on(event: F, listener: (e: FeedStopped) => void): Off;
  on(event: 'closed', listener: (e: { reason: string }) => void): Off;
}

export interface PlaybackControl {
  /** Starts the playback and returns its id; a throw settles the outcome `failed`. */
  start(): string;
  stop(id: string): void;
}

export interface RecordControl {
  /** Starts the recording; `failed` hears why it could not start (so does a throw). Returns its id. */
  start(failed: (error: string) => void): string;
  stop(id: string): void;
}

export interface TrackOptions {
  /** Audio rate of the target: turns durations into samples. */
  rate: number;
  log: Logger;
  /** What is played or recorded (spec string, path), for log lines. */
  name: string;
  clock?: Clock;
}

/** How long a recording waits for its stop event once its target closed. */
export const LATE_SETTLE_MS = 5000;

/** Tracks one playback; `offsetSamples` (where it started) plus what played give where it ended. */
export function trackPlayback(
  target: PlaybackEvents, control: PlaybackControl, options: TrackOptions & { offsetSamples?: number },
): MediaPlayback {
  const { rate, log, name } = options;
  const clock = options.clock ?? systemClock;
  const from = options.offsetSamples ?? 0;
  let resolve!: (o: PlaybackOutcome) => void;
  const done = new Promise<PlaybackOutcome>((r) => { resolve = r; });
  let settled = false;
  let startedAt: number | undefined;
  let id: string | undefined;
  /** Stop events heard while start() ran (before the id was known). */
  const early: { id: string; reason: PlaybackStopReason; error?: string }[] = [];
  const offs: Off[] = [];
  const settle = (o: PlaybackOutcome): void => {
    if (settled) return;
    settled = true;
    for (const off of offs) off();
    resolve(o);
  };
  const played = (): { durationMs: number; offsetSamples: number } => {
    const durationMs = startedAt === undefined ? 0 : Math.round(clock.now() - startedAt);
    return { durationMs, offsetSamples: from + Math.round((durationMs * rate) / 1000) };
  };
  const stopped = (e: { id: string; reason: PlaybackStopReason; error?: string }): void => {
    if (e.reason === 'finished') settle({ status: 'done', ...played() });
    else if (e.reason === 'stopped') settle({ status: 'stopped', ...played() });
    else {
      log.info({ source: name, err: e.error }, 'playback failed');
      settle({ status: 'failed', ...played(), error: e.error ?? 'playback failed' });
    }
  };
  offs.push(
    target.on('playback.started', (e) => {
      if (id !== undefined && e.id === id) startedAt = clock.now();
    }),
    target.on('playback.stopped', (e) => {
      if (id === undefined) early.push(e);
      else if (e.id === id) stopped(e);
    }),
    target.on('closed', () => settle({ status: 'stopped', ...played() })),
  );
  try {
    id = control.start();
  } catch (err) {
    log.info({ source: name, err: errorMessage(err) }, 'playback could not start');
    settle({ status: 'failed', durationMs: 0, error: errorMessage(err) });
    return { done, stop: () => {} };
  }
  const mine = early.find((e) => e.id === id);
  if (mine) stopped(mine);
  const playing = id;
  return { done, stop: () => { if (!settled) control.stop(playing); } };
}

export interface RecordTrackOptions extends TrackOptions {
  /** How long to wait for the stop event once the target closed (LATE_SETTLE_MS unless given). */
  lateMs?: number;
  /**
   * Adds to a stop event what only the owner of the sink knows (the limit reached, how much was written,
   * a file error), as a worker's command host does before it posts the event.
   */
  complete?: (e: FeedStopped) => FeedStopped;
}

/** Tracks one recording or tap: `feed` names its stop event; `rate` gives samples when the event did not count them. */
export function trackRecording<F extends FeedEvent>(
  target: FeedEvents<F>, feed: F, control: RecordControl, options: RecordTrackOptions,
): MediaRecording {
  const { rate, log, name } = options;
  const clock = options.clock ?? systemClock;
  let resolve!: (o: RecordOutcome) => void;
  const done = new Promise<RecordOutcome>((r) => { resolve = r; });
  let settled = false;
  let requested: 'stopped' | 'hangup' | undefined;
  let id: string | undefined;
  let late: TimerHandle | undefined;
  const early: FeedStopped[] = [];
  const offs: Off[] = [];
  const settle = (o: RecordOutcome): void => {
    if (settled) return;
    settled = true;
    for (const off of offs) off();
    late?.cancel();
    resolve(o);
  };
  const fail = (error: string): void => {
    log.warn({ path: name, err: error }, 'recording failed');
    settle({ status: 'failed', durationMs: 0, error });
  };
  const stopped = (event: FeedStopped): void => {
    const e = options.complete ? options.complete(event) : event;
    const durationMs = e.durationMs ?? 0;
    const samples = e.samples ?? Math.round((durationMs * rate) / 1000);
    if (e.reason === 'error') {
      log.warn({ path: name, err: e.error }, 'recording failed');
      settle({ status: 'failed', durationMs, samples, error: e.error ?? 'recording failed' });
      return;
    }
    const reason = e.limit ?? requested ?? (e.reason === 'closed' ? 'hangup' : 'stopped');
    settle({ status: reason === 'stopped' || reason === 'hangup' ? 'stopped' : 'done', reason, durationMs, samples });
  };
  offs.push(
    target.on(feed, (e) => {
      if (id === undefined) early.push(e);
      else if (e.id === id) stopped(e);
    }),
    target.on('closed', (e) => {
      const fallback = (): void => settle({ status: 'stopped', reason: 'hangup', durationMs: 0 });
      if (e.reason === WORKER_EXITED) fallback();
      else late ??= clock.setTimeout(fallback, options.lateMs ?? LATE_SETTLE_MS);
    }),
  );
  try {
    id = control.start(fail);
  } catch (err) {
    fail(errorMessage(err));
    return { done, stop: () => {} };
  }
  const mine = early.find((e) => e.id === id);
  if (mine) stopped(mine);
  const recording = id;
  return {
    done,
    stop: (why = 'stopped') => {
      if (settled || requested) return;
      requested = why;
      control.stop(recording);
    },
  };
}

/** A recording's stop conditions as a LimitedSink enforces them (in this thread or a worker's). */
export function sinkLimits(options: MediaRecordOptions): SinkLimits {
  return {
    ...(options.maxDurationMs === undefined ? {} : { maxDurationMs: options.maxDurationMs }),
    ...(options.silenceTimeoutMs === undefined ? {} : { silenceTimeoutMs: options.silenceTimeoutMs }),
    ...(options.silenceThreshold === undefined ? {} : { silenceThreshold: options.silenceThreshold }),
  };
}
