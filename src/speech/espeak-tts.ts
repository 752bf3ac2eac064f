/**
 * The offline default synthesizer: espeak-ng compiled to WebAssembly (npm `espeak-ng`, ESM). Each
 * synthesis runs the espeak-ng command line once in a fresh module instance (the compiled WebAssembly
 * module is shared), reading the text from a file in the module's memory file system and writing a
 * 22.05 kHz 16-bit mono WAV there. SSML is reduced to its words first. Requests run one at a time.
 * Languages map to espeak voices (`en-US` -> `en-us`, falling back to the primary tag `de-AT` -> `de`).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from '../lib/index.ts';
import { silentLogger } from '../lib/index.ts';
import { SpeechError } from './speech-error.ts';
import { ssmlToText } from './ssml.ts';
import type { SynthesisRequest, SynthesizedSpeech, TtsProvider } from './tts-provider.ts';
import { decodeWav } from './wav.ts';

/** The emscripten module factory the package exports. */
export type EspeakFactory = (module: Record<string, unknown>) => Promise<{ FS: { readFile(path: string): Uint8Array } }>;

/** The WebAssembly API as used here (the project's type library has no WebAssembly declarations). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<object>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export interface EspeakLoader {
  factory: EspeakFactory;
  /** The compiled WebAssembly.Module. */
  wasm: object;
}

export interface EspeakTtsOptions {
  /** Voice when the request names none and its language maps to none (default `en-us`). */
  defaultVoice?: string;
  /** Words per minute (espeak `-s`, default 175). */
  wordsPerMinute?: number;
  /** Longest text accepted, in characters (default 5000). */
  maxCharacters?: number;
  /** Loads the engine (tests inject a failing one); default: the npm package. */
  load?: () => Promise<EspeakLoader>;
  log?: Logger;
}

export const ESPEAK_VENDOR = 'espeak-ng';
export const ESPEAK_SAMPLE_RATE = 22050;
const VOICE = /^[a-z]{2,3}(-[a-z0-9]{1,8})*(\+[a-z0-9]{1,12})?$/i;

let shared: Promise<EspeakLoader> | undefined;

/** The npm package's factory and its compiled WebAssembly (compiled once per process). */
export function loadEspeakPackage(): Promise<EspeakLoader> {
  shared ??= (async () => {
    const require = createRequire(import.meta.url);
    const main = require.resolve('espeak-ng');
    const specifier: string = main;
    const mod = (await import(specifier)) as { default: EspeakFactory };
    const wasm = await wasmApi.compile(await readFile(join(dirname(main), 'espeak-ng.wasm')));
    return { factory: mod.default, wasm };
  })();
  shared.catch(() => {
    shared = undefined;
  });
  return shared;
}

/** espeak voices to try for a request, most specific first. */
export function espeakVoices(request: SynthesisRequest, defaultVoice = 'en-us'): string[] {
  const out: string[] = [];
  const add = (v: string | undefined) => {
    if (v && VOICE.test(v) && !out.includes(v.toLowerCase())) out.push(v.toLowerCase());
  };
  add(request.voice);
  const lang = request.language;
  add(lang);
  add(lang?.split('-')[0]);
  add(defaultVoice);
  return out;
}

export class EspeakTtsProvider implements TtsProvider {
  readonly vendor = ESPEAK_VENDOR;
  readonly #opts: EspeakTtsOptions;
  readonly #log: Logger;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(opts: EspeakTtsOptions = {}) {
    this.#opts = opts;
    this.#log = (opts.log ?? silentLogger()).child({ tts: ESPEAK_VENDOR });
  }

  synthesize(request: SynthesisRequest): Promise<SynthesizedSpeech> {
    const run = this.#queue.then(() => this.#synthesize(request));
    this.#queue = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async #synthesize(request: SynthesisRequest): Promise<SynthesizedSpeech> {
    if (this.#closed) throw new SpeechError('SPEECH_CLOSED', 'espeak-ng provider closed');
    const text = ssmlToText(request.text);
    const max = this.#opts.maxCharacters ?? 5000;
    if (text.length > max) throw new SpeechError('SPEECH_REQUEST', `text of ${text.length} characters is over the limit of ${max}`);
    const voices = espeakVoices(request, this.#opts.defaultVoice);
    const base = { vendor: ESPEAK_VENDOR, language: request.language ?? voices[0] ?? 'en-us', characters: text.length, servedFromCache: false };
    if (text === '') {
      return { ...base, pcm: new Int16Array(0), sampleRate: ESPEAK_SAMPLE_RATE, durationMs: 0, voice: voices[0] ?? '', elapsedMs: 0 };
    }
    let engine: EspeakLoader;
    try {
      engine = await (this.#opts.load ?? loadEspeakPackage)();
    } catch (err) {
      throw new SpeechError('SPEECH_UNAVAILABLE', `espeak-ng cannot be loaded: ${(err as Error).message}`, { cause: err });
    }
    const started = performance.now();
    const errors: string[] = [];
    for (const voice of voices) {
      const wav = await this.#run(engine, voice, text, errors);
      if (!wav) continue;
      let decoded: { pcm: Int16Array; sampleRate: number };
      try {
        decoded = decodeWav(wav);
      } catch (err) {
        throw new SpeechError('SPEECH_TTS_FAILED', `espeak-ng wrote an unreadable WAV: ${(err as Error).message}`, { cause: err });
      }
      const elapsedMs = performance.now() - started;
      this.#log.debug({ voice, characters: text.length, ms: Math.round(elapsedMs) }, 'synthesized');
      return {
        ...base,
        pcm: decoded.pcm,
        sampleRate: decoded.sampleRate,
        durationMs: (decoded.pcm.length * 1000) / decoded.sampleRate,
        voice,
        elapsedMs,
      };
    }
    throw new SpeechError('SPEECH_TTS_FAILED', `espeak-ng produced no audio (voices ${voices.join(', ')}): ${errors.join('; ')}`);
  }

  async #run(engine: EspeakLoader, voice: string, text: string, errors: string[]): Promise<Uint8Array | undefined> {
    const wpm = String(Math.round(this.#opts.wordsPerMinute ?? 175));
    try {
      let failInstantiate: (err: unknown) => void = () => {};
      const instantiateFailed = new Promise<never>((_resolve, reject) => {
        failInstantiate = reject;
      });
      const instance = await Promise.race([
        engine.factory({
          arguments: ['-v', voice, '-s', wpm, '-w', '/out.wav', '-f', '/in.txt'],
          print: () => {},
          printErr: (line: string) => errors.push(`${voice}: ${line}`),
          preRun: [(m: { FS: { writeFile(path: string, data: string): void } }) => m.FS.writeFile('/in.txt', text)],
          instantiateWasm: (imports: object, done: (instance: object, module: object) => void) => {
            wasmApi.instantiate(engine.wasm, imports).then((inst) => done(inst, engine.wasm), failInstantiate);
            return {};
          },
        }),
        instantiateFailed,
      ]);
      const wav = instance.FS.readFile('/out.wav');
      return wav.length > 44 ? wav : undefined;
    } catch (err) {
      errors.push(`${voice}: ${(err as Error).message ?? String(err)}`);
      return undefined;
    }
  }
}
