/**
 * Background transcription (specs/jambonz.md §3.A `transcribe`, §2.4 transcriptionHook): one
 * recognition stream per transcribed leg, each posting its final results (and interim ones when
 * `recognizer.interim`) to the transcriptionHook as `{speech}` merged into the call info, with
 * `channel_tag` 1 for the caller and 2 for the callee. A recognizer that fails is reported with a
 * `jambonz:error` and a log line; that leg's transcription stops and the call goes on. `pause()` closes
 * the recognition streams and `resume()` opens new ones (`transcribe:status`, §1.6); while running, a
 * transcription is listed for its session (running-transcriptions.ts). `stop()` is idempotent and also
 * runs when every transcribed leg has hung up.
 */
import type { Channel } from '../../../../core/index.ts';
import type { Hook } from '../../contract.ts';
import type { RecognitionStream, RecognizerSettings, SpeechResult } from '../speech.ts';
import type { VerbData } from '../verb-data.ts';
import type { VerbServices } from '../verbs/verb.ts';
import { listTranscription } from './running-transcriptions.ts';

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

interface LegState {
  readonly leg: TranscribedLeg;
  stream: RecognitionStream | undefined;
  /** Which stream of the leg is current: callbacks of an older one (closed by pause) are ignored. */
  generation: number;
  done: boolean;
}

export class Transcription {
  readonly #s: VerbServices;
  readonly #opts: TranscriptionOptions;
  readonly #legs: LegState[] = [];
  readonly #offs: (() => void)[] = [];
  #stopped = false;
  #paused = false;
  #resolveEnded: () => void = () => {};
  /** Resolves when every leg's transcription has stopped. */
  readonly ended: Promise<void>;

  constructor(s: VerbServices, opts: TranscriptionOptions) {
    this.#s = s;
    this.#opts = opts;
    this.ended = new Promise<void>((resolve) => { this.#resolveEnded = resolve; });
  }

  get stopped(): boolean { return this.#stopped; }
  get paused(): boolean { return this.#paused; }

  /** Starts one recognition stream per leg; false (and reported) when there is no recognizer. */
  start(): boolean {
    const s = this.#s;
    if (!s.recognizer) {
      s.notifyError({ msg: 'transcribe failed', details: 'no speech recognizer is configured' }, this.#opts.verb);
      this.stop();
      return false;
    }
    if (this.#stopped || this.#legs.length > 0) return !this.#stopped;
    this.#offs.push(listTranscription(s, this));
    for (const leg of this.#opts.legs) {
      const state: LegState = { leg, stream: undefined, generation: 0, done: false };
      this.#legs.push(state);
      if (leg.channel.ended) {
        this.#finishLeg(state);
        continue;
      }
      this.#offs.push(leg.channel.on('hangup', () => this.#finishLeg(state)));
      if (!this.#paused) this.#open(state);
      if (this.#stopped) break;
    }
    if (this.#legs.every((l) => l.done)) this.stop();
    return !this.#stopped;
  }

  /** Closes the recognition streams; the transcription stays (resume() reopens them). False when not running. */
  pause(): boolean {
    if (this.#stopped || this.#paused) return false;
    this.#paused = true;
    for (const state of this.#legs) this.#close(state);
    this.#s.log.info({ verb: this.#opts.verb.verb }, 'transcribe: paused');
    return true;
  }

  /** Opens new recognition streams for the legs still up. False when not paused. */
  resume(): boolean {
    if (this.#stopped || !this.#paused) return false;
    this.#paused = false;
    for (const state of this.#legs) if (!state.done && !this.#stopped) this.#open(state);
    this.#s.log.info({ verb: this.#opts.verb.verb }, 'transcribe: resumed');
    return true;
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const off of this.#offs.splice(0)) off();
    for (const state of this.#legs) this.#close(state);
    this.#resolveEnded();
  }

  #open(state: LegState): void {
    const s = this.#s;
    const recognizer = s.recognizer;
    if (!recognizer) return;
    const generation = ++state.generation;
    const current = (): boolean => state.generation === generation && !state.done && !this.#stopped;
    const stream = recognizer.start(state.leg.channel, this.#opts.settings, {
      transcript: (result) => { if (current() && !this.#paused) this.#report(result, state.leg.tag); },
      error: (message) => {
        if (!current()) return;
        s.log.warn({ err: message, leg: state.leg.channel.uuid }, 'transcribe: recognizer failed');
        s.notifyError({ msg: 'transcribe failed', details: `speech recognizer: ${message}` }, this.#opts.verb);
        this.#finishLeg(state);
      },
    });
    // An error reported while start() ran already finished the leg.
    if (state.generation !== generation || state.done || this.#stopped || this.#paused) stream.close();
    else state.stream = stream;
  }

  #close(state: LegState): void {
    state.generation++;
    const stream = state.stream;
    state.stream = undefined;
    stream?.close();
  }

  #finishLeg(state: LegState): void {
    if (state.done) return;
    state.done = true;
    this.#close(state);
    if (this.#legs.length === this.#opts.legs.length && this.#legs.every((l) => l.done)) this.stop();
  }

  #report(result: SpeechResult, tag: number): void {
    if (!result.is_final && this.#opts.settings.interim !== true) return;
    this.#s.notifyHook(this.#opts.hook, { speech: { ...result, channel_tag: tag } }, this.#opts.verb);
  }
}
