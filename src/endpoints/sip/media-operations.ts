/**
 * Playbacks and recordings of a media session or a conference room in this thread, as core's
 * MediaPlayback and MediaRecording: a spec string opened with openSource (files, URLs, tone_stream://,
 * silence_stream://) and played through the target's player; a WAV path recorded with WavRecorder behind
 * a LimitedSink (the recording's stop conditions, as a media worker enforces them). Outcomes are followed
 * by outcome-tracker.ts from the target's events, as for media in a worker.
 */
import { errorMessage, type Logger } from '../../lib/index.ts';
import {
  LimitedSink, WavRecorder, openSource, type AudioSink, type AudioSource, type OpenSourceOptions, type PlayOptions,
} from '../../media/index.ts';
import type { MediaPlayOptions, MediaPlayback, MediaRecordOptions, MediaRecording, PlaybackOutcome } from '../../core/index.ts';
import { sinkLimits, trackPlayback, trackRecording, type FeedEvent, type FeedEvents, type PlaybackEvents } from './outcome-tracker.ts';

/** What plays audio: a MediaSession, a ConferenceRoom or an overlay track of a session. */
export interface PlayTarget extends PlaybackEvents {
  readonly sampleRate: number;
  readonly closed: boolean;
  play(source: AudioSource, options?: PlayOptions): string;
  stopPlayback(id: string): boolean;
}

export interface SourceSettings {
  /** Base directory of relative file paths. */
  soundDir?: string;
  cacheDir?: string;
}

export function startPlayback(
  target: PlayTarget, spec: string, options: MediaPlayOptions, settings: SourceSettings, log: Logger,
): MediaPlayback {
  const rate = target.sampleRate;
  const opts: OpenSourceOptions = { sampleRate: rate, loop: 1 };
  if (settings.soundDir !== undefined) opts.soundDir = settings.soundDir;
  if (settings.cacheDir !== undefined) opts.cacheDir = settings.cacheDir;
  if (options.offsetSamples) opts.startMs = Math.floor((options.offsetSamples * 1000) / rate);
  let stopped = false;
  let playback: MediaPlayback | undefined;
  const done = openSource(spec, opts).then(
    (source): Promise<PlaybackOutcome> | PlaybackOutcome => {
      if (stopped || target.closed) {
        source.close();
        return { status: 'stopped', durationMs: 0 };
      }
      playback = trackPlayback(target, {
        start: () => {
          try {
            return target.play(source, { loop: options.loops ?? 1, queue: true });
          } catch (err) {
            source.close();
            throw err;
          }
        },
        stop: (id) => { target.stopPlayback(id); },
      }, { rate, offsetSamples: options.offsetSamples ?? 0, log, name: spec });
      return playback.done;
    },
    (err: unknown): PlaybackOutcome => {
      const error = errorMessage(err);
      log.info({ source: spec, err: error }, 'playback source could not be opened');
      return { status: 'failed', durationMs: 0, error };
    },
  );
  return {
    done,
    stop: () => {
      stopped = true;
      playback?.stop();
    },
  };
}

/** Where a recorder is attached (a session's recording or tap, a room's recording) and detached again. */
export interface RecordTarget<F extends FeedEvent> {
  /** Emits the feed's stop event and `closed`. */
  readonly events: FeedEvents<F>;
  readonly feed: F;
  /** Adds the sink; returns the feed's id. */
  add(sink: AudioSink): string;
  /** Removes the feed (closing its sink). */
  remove(id: string): void;
}

export function startRecording<F extends FeedEvent>(
  path: string, sampleRate: number, channels: 1 | 2, options: MediaRecordOptions, target: RecordTarget<F>, log: Logger,
): MediaRecording {
  let recorder: WavRecorder | undefined;
  let limited: LimitedSink | undefined;
  // Removal waits for the end of the tick that reached a limit (or heard a terminator digit).
  const remove = (id: string): void => queueMicrotask(() => target.remove(id));
  return trackRecording(target.events, target.feed, {
    start: () => {
      const wav = new WavRecorder({ path, sampleRate, channels });
      let id: string | undefined;
      const sink = new LimitedSink(wav, sinkLimits(options), () => { if (id !== undefined) remove(id); });
      try {
        id = target.add(sink);
      } catch (err) {
        void wav.close();
        throw err;
      }
      recorder = wav;
      limited = sink;
      return id;
    },
    stop: remove,
  }, {
    rate: sampleRate, log, name: path,
    // What a worker's host adds to the stop event: the limit reached, how much was written, a file error.
    complete: (e) => {
      if (!recorder || !limited) return e;
      const error = e.error ?? recorder.error?.message;
      return {
        ...e,
        ...(recorder.error ? { reason: 'error' as const } : {}),
        ...(error === undefined ? {} : { error }),
        ...(limited.limit ? { limit: limited.limit } : {}),
        durationMs: limited.durationMs,
        samples: limited.samples,
      };
    },
  });
}
