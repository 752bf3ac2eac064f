/**
 * Background transcription (specs/jambonz.md §3.A `transcribe`, §2.4 transcriptionHook): one
 * recognition stream per transcribed leg, each posting its final results (and interim ones when
 * `recognizer.interim`) to the transcriptionHook as `{speech}` merged into the call info, with
 * `channel_tag` 1 for the caller and 2 for the callee. A recognizer that fails is reported with a
 * `jambonz:error` and a log line; that leg's transcription stops and the call goes on. `stop()` is
 * idempotent and also runs when a transcribed leg hangs up.
 */
import type { Channel } from '../../../../core/index.ts';
import type { Hook } from '../../contract.ts';
import type { RecognitionStream, RecognizerSettings, SpeechResult } from '../speech.ts';
import type { VerbData } from '../verb-data.ts';
import type { VerbServices } from '../verbs/verb.ts';

export interface TranscribedLeg {
  readonly channel: Channel;
  /** 1: the caller (A leg), 2: the callee (B leg). */
  readonly tag: number;
}

export interface TranscriptionOptions {
  readonly hook: Hook;
  readonly settings: RecognizerSettings;
  readonly legs: readonly TranscribedLeg[];
  /** The verb (or config) the hooks are reported for. */
  readonly verb: VerbData;
}

export class Transcription {
  readonly #s: VerbServices;
  readonly #opts: TranscriptionOptions;
  readonly #streams: RecognitionStream[] = [];
  readonly #offs: (() => void)[] = [];
  #stopped = false;
  #resolveEnded: () => void = () => {};
  /** Resolves when every leg's transcription has stopped. */
  readonly ended: Promise<void>;

  constructor(s: VerbServices, opts: TranscriptionOptions) {
    this.#s = s;
    this.#opts = opts;
    this.ended = new Promise<void>((resolve) => { this.#resolveEnded = resolve; });
  }

  get stopped(): boolean { return this.#stopped; }

  /** Starts one recognition stream per leg; false (and reported) when there is no recognizer. */
  start(): boolean {
    const s = this.#s;
    const recognizer = s.recognizer;
    if (!recognizer) {
      s.notifyError({ msg: 'transcribe failed', details: 'no speech recognizer is configured' }, this.#opts.verb);
      this.stop();
      return false;
    }
    let live = this.#opts.legs.length;
    const legDone = (): void => {
      live -= 1;
      if (live <= 0) this.stop();
    };
    for (const leg of this.#opts.legs) {
      if (leg.channel.ended) {
        legDone();
        continue;
      }
      let done = false;
      /** Set once start() returns; an error reported during start() finds it still empty. */
      const ref: { stream?: RecognitionStream } = {};
      const finishLeg = (): void => {
        if (done) return;
        done = true;
        const stream = ref.stream;
        if (stream) {
          const i = this.#streams.indexOf(stream);
          if (i >= 0) this.#streams.splice(i, 1);
          stream.close();
        }
        legDone();
      };
      const stream = recognizer.start(leg.channel, this.#opts.settings, {
        transcript: (result) => { if (!done && !this.#stopped) this.#report(result, leg.tag); },
        error: (message) => {
          if (done || this.#stopped) return;
          s.log.warn({ err: message, leg: leg.channel.uuid }, 'transcribe: recognizer failed');
          s.notifyError({ msg: 'transcribe failed', details: `speech recognizer: ${message}` }, this.#opts.verb);
          finishLeg();
        },
      });
      ref.stream = stream;
      if (done) stream.close();
      else this.#streams.push(stream);
      this.#offs.push(leg.channel.on('hangup', finishLeg));
      if (this.#stopped) break;
    }
    return !this.#stopped;
  }

  #report(result: SpeechResult, tag: number): void {
    if (!result.is_final && this.#opts.settings.interim !== true) return;
    this.#s.notifyHook(this.#opts.hook, { speech: { ...result, channel_tag: tag } }, this.#opts.verb);
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const off of this.#offs.splice(0)) off();
    for (const stream of this.#streams.splice(0)) stream.close();
    this.#resolveEnded();
  }
}
