/**
 * The outcomes of playbacks and recordings that run in a media worker (a session's or a room's), as
 * core's MediaPlayback / MediaRecording: settled once, from the worker's events, never rejecting. The
 * caller adapts its target (RemoteSession or RemoteRoom) to the few events and commands used here.
 */
import type { Logger } from '../../lib/index.ts';
import type { FeedStopped, PlaybackStopReason, SinkLimits } from '../../media/index.ts';
import type { MediaPlayback, MediaRecordOptions, MediaRecording, PlaybackOutcome, RecordOutcome } from '../../core/index.ts';
import { settleLate } from './settle-late.ts';

type Off = () => void;

export interface RemotePlayTarget {
  onStarted(listener: (id: string) => void): Off;
  onStopped(listener: (e: { id: string; reason: PlaybackStopReason; error?: string }) => void): Off;
  onClosed(listener: (reason: string) => void): Off;
  /** Starts the playback; returns its id. */
  start(): string;
  stop(id: string): void;
}

/** Tracks one playback; `offsetSamples` (where it started) and `rate` give the end position. */
export function trackPlayback(target: RemotePlayTarget, rate: number, offsetSamples: number, log: Logger, source: string): MediaPlayback {
  let resolve!: (o: PlaybackOutcome) => void;
  const done = new Promise<PlaybackOutcome>((r) => { resolve = r; });
  let settled = false;
  let startedAt: number | undefined;
  const offs: Off[] = [];
  const settle = (o: PlaybackOutcome): void => {
    if (settled) return;
    settled = true;
    for (const off of offs) off();
    resolve(o);
  };
  const played = (): { durationMs: number; offsetSamples: number } => {
    const durationMs = startedAt === undefined ? 0 : Date.now() - startedAt;
    return { durationMs, offsetSamples: offsetSamples + Math.round((durationMs * rate) / 1000) };
  };
  let id = '';
  offs.push(
    target.onStarted((started) => {
      if (started === id) startedAt = Date.now();
    }),
    target.onStopped((e) => {
      if (e.id !== id) return;
      if (e.reason === 'finished') settle({ status: 'done', ...played() });
      else if (e.reason === 'stopped') settle({ status: 'stopped', ...played() });
      else {
        log.info({ source, err: e.error }, 'playback failed');
        settle({ status: 'failed', ...played(), error: e.error ?? 'playback failed' });
      }
    }),
    target.onClosed(() => settle({ status: 'stopped', ...played() })),
  );
  id = target.start();
  return { done, stop: () => { if (!settled) target.stop(id); } };
}

export interface RemoteRecordTarget {
  onStopped(listener: (e: FeedStopped) => void): Off;
  onClosed(listener: (reason: string) => void): Off;
  /** Starts the recording; `failed` hears why it could not start. Returns its id. */
  start(failed: (error: string) => void): string;
  stop(id: string): void;
}

/** Tracks one recording; `rate` turns a duration into samples when the worker did not count them. */
export function trackRecording(target: RemoteRecordTarget, rate: number, log: Logger, path: string): MediaRecording {
  let resolve!: (o: RecordOutcome) => void;
  const done = new Promise<RecordOutcome>((r) => { resolve = r; });
  let settled = false;
  let requested: 'stopped' | 'hangup' | undefined;
  const offs: Off[] = [];
  const settle = (o: RecordOutcome): void => {
    if (settled) return;
    settled = true;
    for (const off of offs) off();
    resolve(o);
  };
  let id = '';
  offs.push(
    target.onStopped((e) => {
      if (e.id !== id) return;
      const durationMs = e.durationMs ?? 0;
      const samples = e.samples ?? Math.round((durationMs * rate) / 1000);
      if (e.reason === 'error') {
        log.warn({ path, err: e.error }, 'recording failed');
        settle({ status: 'failed', durationMs, samples, error: e.error ?? 'recording failed' });
        return;
      }
      const reason = e.limit ?? requested ?? (e.reason === 'closed' ? 'hangup' : 'stopped');
      settle({ status: reason === 'stopped' || reason === 'hangup' ? 'stopped' : 'done', reason, durationMs, samples });
    }),
    target.onClosed((why) => settleLate(why, () => settle({ status: 'stopped', reason: 'hangup', durationMs: 0 }))),
  );
  id = target.start((error) => {
    log.warn({ path, err: error }, 'recording failed');
    settle({ status: 'failed', durationMs: 0, error });
  });
  return {
    done,
    stop: (why = 'stopped') => {
      if (settled || requested) return;
      requested = why;
      target.stop(id);
    },
  };
}

/** A recording's stop conditions as the worker's sink enforces them. */
export function sinkLimits(options: MediaRecordOptions): SinkLimits {
  return {
    ...(options.maxDurationMs === undefined ? {} : { maxDurationMs: options.maxDurationMs }),
    ...(options.silenceTimeoutMs === undefined ? {} : { silenceTimeoutMs: options.silenceTimeoutMs }),
    ...(options.silenceThreshold === undefined ? {} : { silenceThreshold: options.silenceThreshold }),
  };
}
