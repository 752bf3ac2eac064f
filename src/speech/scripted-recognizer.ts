/**
 * A deterministic recognizer for tests and demos: it recognizes nothing, but after each stretch of voice
 * activity in the audio (energy above a threshold for at least `minSpeechMs`, then `endSilenceMs` of
 * quiet) it reports the next transcript of its script as final, with partials (the growing word prefix)
 * while the voice lasts when interim results are asked for. Timing is counted in samples, so it needs no
 * clock. When the script runs out it reports nothing more.
 */
import { TypedEmitter } from '../lib/index.ts';
import type { Listener } from '../lib/index.ts';
import { SpeechError } from './speech-error.ts';
import type {
  RecognitionEvents,
  RecognitionOptions,
  RecognitionResult,
  RecognitionSession,
  SttProvider,
} from './stt-provider.ts';

export interface ScriptedRecognizerOptions {
  /** Transcripts, one per utterance, in order; shared by every session of the provider. */
  script: string[];
  /** Mean absolute sample level that counts as voice (default 500, about -36 dBFS). */
  threshold?: number;
  /** Voice needed before an utterance counts (default 200 ms). */
  minSpeechMs?: number;
  /** Quiet that ends an utterance (default 500 ms). */
  endSilenceMs?: number;
  /** Confidence reported (default 0.9). */
  confidence?: number;
  vendor?: string;
}

type EventMap = { [K in keyof RecognitionEvents]: RecognitionEvents[K] };

export const SCRIPTED_VENDOR = 'scripted';

export class ScriptedRecognizer implements SttProvider {
  readonly vendor: string;
  readonly #opts: ScriptedRecognizerOptions;
  #next = 0;
  #closed = false;

  constructor(opts: ScriptedRecognizerOptions) {
    this.#opts = opts;
    this.vendor = opts.vendor ?? SCRIPTED_VENDOR;
  }

  /** Transcripts not used yet. */
  get remaining(): number {
    return Math.max(0, this.#opts.script.length - this.#next);
  }

  start(options: RecognitionOptions): RecognitionSession {
    if (this.#closed) throw new SpeechError('SPEECH_CLOSED', 'recognizer closed');
    if (!Number.isInteger(options.sampleRate) || options.sampleRate < 1000) {
      throw new SpeechError('SPEECH_REQUEST', `unusable sample rate ${options.sampleRate}`);
    }
    return new ScriptedSession(this.#opts, options, this.vendor, () => this.#opts.script[this.#next++]);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

class ScriptedSession implements RecognitionSession {
  readonly #events = new TypedEmitter<EventMap>();
  readonly #rate: number;
  readonly #threshold: number;
  readonly #minSpeech: number;
  readonly #endSilence: number;
  readonly #confidence: number;
  readonly #language: string;
  readonly #interim: boolean;
  readonly #single: boolean;
  readonly #vendor: string;
  readonly #take: () => string | undefined;
  #samples = 0;
  #voiced = 0;
  #quiet = 0;
  #inSpeech = false;
  #announced = false;
  #partialWords = 0;
  #current: string | undefined;
  #ended = false;

  constructor(opts: ScriptedRecognizerOptions, options: RecognitionOptions, vendor: string, take: () => string | undefined) {
    this.#rate = options.sampleRate;
    this.#threshold = opts.threshold ?? 500;
    this.#minSpeech = Math.round(((opts.minSpeechMs ?? 200) * this.#rate) / 1000);
    this.#endSilence = Math.round(((opts.endSilenceMs ?? 500) * this.#rate) / 1000);
    this.#confidence = opts.confidence ?? 0.9;
    this.#language = options.language ?? 'en-US';
    this.#interim = options.interim ?? false;
    this.#single = options.singleUtterance ?? true;
    this.#vendor = vendor;
    this.#take = take;
  }

  on<K extends keyof RecognitionEvents>(event: K, listener: Listener<RecognitionEvents[K]>): () => void {
    return this.#events.on(event, listener);
  }

  write(pcm: Int16Array): void {
    if (this.#ended) return;
    // 10 ms blocks: level per block, so a single click does not count as voice
    const block = Math.max(1, Math.round(this.#rate / 100));
    for (let off = 0; off < pcm.length && !this.#ended; off += block) {
      const n = Math.min(block, pcm.length - off);
      let sum = 0;
      for (let i = off; i < off + n; i++) sum += Math.abs(pcm[i]!);
      this.#step(sum / n >= this.#threshold, n);
    }
  }

  end(): void {
    if (this.#ended) return;
    if (this.#inSpeech && this.#announced) this.#finalize();
    this.#finish('ended');
  }

  close(): void {
    this.#finish('closed');
  }

  #step(voice: boolean, n: number): void {
    this.#samples += n;
    if (voice) {
      this.#quiet = 0;
      this.#voiced += n;
      this.#inSpeech = true;
      if (!this.#announced && this.#voiced >= this.#minSpeech) {
        this.#announced = true;
        this.#current = this.#take();
        this.#events.emit('speechStart', { atMs: Math.round((this.#samples * 1000) / this.#rate) });
      }
      if (this.#announced && this.#interim && this.#current) this.#partial();
      return;
    }
    if (!this.#inSpeech) return;
    this.#quiet += n;
    if (this.#quiet < this.#endSilence) return;
    if (this.#announced) this.#finalize();
    else this.#reset();
  }

  /** One more word of the transcript every 300 ms of voice. */
  #partial(): void {
    const words = (this.#current ?? '').split(/\s+/).filter(Boolean);
    const due = Math.min(words.length, 1 + Math.floor((this.#voiced - this.#minSpeech) / Math.round(0.3 * this.#rate)));
    if (due <= this.#partialWords) return;
    this.#partialWords = due;
    this.#events.emit('partial', this.#result(words.slice(0, due).join(' '), false));
  }

  #finalize(): void {
    const transcript = this.#current;
    this.#reset();
    if (transcript === undefined) return;
    this.#events.emit('final', this.#result(transcript, true));
    if (this.#single) this.#finish('final');
  }

  #reset(): void {
    this.#inSpeech = false;
    this.#announced = false;
    this.#voiced = 0;
    this.#quiet = 0;
    this.#partialWords = 0;
    this.#current = undefined;
  }

  #result(transcript: string, isFinal: boolean): RecognitionResult {
    return {
      isFinal,
      alternatives: [{ transcript, confidence: this.#confidence }],
      language: this.#language,
      vendor: this.#vendor,
      raw: { transcript, isFinal },
    };
  }

  #finish(reason: RecognitionEvents['end']['reason']): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#events.emit('end', { reason });
    this.#events.removeAllListeners();
  }
}
