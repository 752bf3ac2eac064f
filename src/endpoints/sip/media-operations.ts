/**
 * Playbacks and recordings of a media session or a conference room as core's MediaPlayback and
 * MediaRecording: a spec string opened with openSource (files, URLs, tone_stream://, silence_stream://)
 * and played through the target's player, a WAV path recorded with WavRecorder through a recording or a
 * tap. Each settles exactly once, never rejects, and a source that fails to open settles as `failed`.
 */
import { errorMessage, type Logger } from '../../lib/index.ts';
import {
  WavRecorder, openSource, type AudioSink, type AudioSource, type OpenSourceOptions, type PlayOptions,
  type PlaybackStopReason,
} from '../../media/index.ts';
import type {
  MediaPlayOptions, MediaPlayback, MediaRecordOptions, MediaRecording, PlaybackOutcome, RecordOutcome,
} from '../../core/index.ts';

/** What plays audio: a MediaSession or a ConferenceRoom. */
export interface PlayTarget {
  readonly sampleRate: number;
  readonly closed: boolean;
  play(source: AudioSource, options?: PlayOptions): string;
  stopPlayback(id?: string): boolean;
  on(event: 'playback.stopped', listener: (e: { id: string; reason: PlaybackStopReason; error?: string }) => void): () => void;
}

export interface SourceSettings {
  /** Base directory of relative file paths. */
  soundDir?: string;
  cacheDir?: string;
}

export function startPlayback(
  target: PlayTarget, spec: string, options: MediaPlayOptions, settings: SourceSettings, log: Logger,
): MediaPlayback {
  let resolve!: (o: PlaybackOutcome) => void;
  const done = new Promise<PlaybackOutcome>((r) => { resolve = r; });
  let settled = false;
  let stopped = false;
  let id: string | undefined;
  let startedAt = 0;
  let off: (() => void) | undefined;
  const rate = target.sampleRate;
  const settle = (o: PlaybackOutcome): void => {
    if (settled) return;
    settled = true;
    off?.();
    resolve(o);
  };
  const opts: OpenSourceOptions = { sampleRate: rate, loop: 1 };
  if (settings.soundDir !== undefined) opts.soundDir = settings.soundDir;
  if (settings.cacheDir !== undefined) opts.cacheDir = settings.cacheDir;
  if (options.offsetSamples) opts.startMs = Math.floor((options.offsetSamples * 1000) / rate);
  openSource(spec, opts).then(
    (source) => {
      if (stopped || target.closed) {
        source.close();
        settle({ status: 'stopped', durationMs: 0 });
        return;
      }
      off = target.on('playback.stopped', (e) => {
        if (e.id !== id) return;
        const durationMs = Date.now() - startedAt;
        const base = { durationMs, offsetSamples: Math.round((durationMs * rate) / 1000) };
        if (e.reason === 'finished') settle({ status: 'done', ...base });
        else if (e.reason === 'stopped') settle({ status: 'stopped', ...base });
        else settle({ status: 'failed', ...base, error: e.error ?? 'playback failed' });
      });
      try {
        startedAt = Date.now();
        id = target.play(source, { loop: options.loops ?? 1, queue: true });
      } catch (err) {
        source.close();
        settle({ status: 'failed', durationMs: 0, error: errorMessage(err) });
      }
    },
    (err: unknown) => {
      log.info({ source: spec, err: errorMessage(err) }, 'playback source could not be opened');
      settle({ status: 'failed', durationMs: 0, error: errorMessage(err) });
    },
  );
  return {
    done,
    stop: () => {
      stopped = true;
      if (id !== undefined && !settled) target.stopPlayback(id);
    },
  };
}

/** Where a recorder is attached and how it is detached again. */
export interface RecordAttachment {
  /** Adds the sink; returns a function that removes it (closing the sink) and an event subscription. */
  attach(sink: AudioSink): { remove(): void; onStopped(listener: (reason: string, error?: string) => void): () => void };
}

export function startRecording(
  path: string, sampleRate: number, channels: 1 | 2, options: MediaRecordOptions, attachment: RecordAttachment, log: Logger,
): MediaRecording {
  let resolve!: (o: RecordOutcome) => void;
  const done = new Promise<RecordOutcome>((r) => { resolve = r; });
  let reason: RecordOutcome['reason'];
  let settled = false;
  let heard = false;
  let quietMs = 0;
  let silenceTimer: NodeJS.Timeout | undefined;
  let handle: ReturnType<RecordAttachment['attach']> | undefined;
  const stop = (why: NonNullable<RecordOutcome['reason']>): void => {
    if (settled || reason !== undefined) return;
    reason = why;
    queueMicrotask(() => handle?.remove());
  };
  const settle = (o: RecordOutcome): void => {
    if (settled) return;
    settled = true;
    if (silenceTimer) clearInterval(silenceTimer);
    resolve(o);
  };
  let recorder: WavRecorder;
  try {
    recorder = new WavRecorder({
      path, sampleRate, channels,
      ...(options.maxDurationMs === undefined ? {} : { maxDurationMs: options.maxDurationMs }),
      onLimit: () => stop('max-duration'),
    });
  } catch (err) {
    return { done: Promise.resolve({ status: 'failed', durationMs: 0, error: errorMessage(err) }), stop: () => {} };
  }
  const threshold = options.silenceThreshold ?? 200;
  const sink: AudioSink = options.silenceTimeoutMs === undefined ? recorder : {
    sampleRate: recorder.sampleRate,
    write(frame, channel) {
      recorder.write(frame, channel);
      let sum = 0;
      for (let i = 0; i < frame.length; i++) sum += Math.abs(frame[i]!);
      const loud = frame.length > 0 && sum / frame.length > threshold;
      if (loud) {
        heard = true;
        quietMs = 0;
      } else if (heard) {
        quietMs += (frame.length * 1000) / recorder.sampleRate;
      }
    },
    close: () => recorder.close(),
  };
  try {
    handle = attachment.attach(sink);
  } catch (err) {
    void recorder.close();
    return { done: Promise.resolve({ status: 'failed', durationMs: 0, error: errorMessage(err) }), stop: () => {} };
  }
  const off = handle.onStopped((why, error) => {
    off();
    const durationMs = recorder.durationMs;
    const samples = Math.round((durationMs * sampleRate) / 1000);
    if (why === 'error' || recorder.error) {
      log.warn({ path, err: error ?? recorder.error?.message }, 'recording failed');
      settle({ status: 'failed', durationMs, samples, error: error ?? recorder.error?.message ?? 'recording failed' });
      return;
    }
    const r = reason ?? (why === 'closed' ? 'hangup' : 'stopped');
    settle({ status: r === 'stopped' || r === 'hangup' ? 'stopped' : 'done', reason: r, durationMs, samples });
  });
  if (options.silenceTimeoutMs !== undefined) {
    const limit = options.silenceTimeoutMs;
    silenceTimer = setInterval(() => {
      if (heard && quietMs >= limit) stop('silence');
    }, 100);
    silenceTimer.unref();
  }
  return { done, stop: (why = 'stopped') => stop(why) };
}
