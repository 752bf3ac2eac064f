/**
 * The silence_stream:// player (FreeSWITCH mod_tone_stream: `silence_stream://[<ms>[,<divisor>]]`, -1 or
 * no length = endless). A divisor above 0 asks for comfort noise: white noise of peak 32767 / divisor (1400 gives
 * about -63 dBFS), from a fixed-seed generator so output is reproducible; 0 or absent is digital silence.
 */
import type { AudioSource, LoopCount } from './audio-source.ts';
import { checkSampleRate, msToSamples, normalizeLoop } from './audio-source.ts';
import { SourceError } from './source-error.ts';

export interface SilenceOptions {
  sampleRate: number;
  /** Length in ms; -1 or Infinity = endless. */
  durationMs: number;
  /** Comfort-noise divisor (FreeSWITCH); 0 = pure silence. */
  noiseDivisor?: number;
  loop?: LoopCount;
}

export class SilenceSource implements AudioSource {
  readonly sampleRate: number;
  /** Samples per play (Infinity = endless). */
  readonly #length: number;
  readonly #total: number;
  readonly #noise: number;
  #pos = 0;
  #seed = 0x2545f491;
  #closed = false;

  constructor(opts: SilenceOptions) {
    this.sampleRate = checkSampleRate(opts.sampleRate);
    const d = opts.durationMs;
    if (d === -1 || d === Infinity) this.#length = Infinity;
    else if (Number.isFinite(d) && d >= 0) this.#length = msToSamples(d, this.sampleRate);
    else throw new SourceError('MEDIA_SOURCE_SPEC', `silence length ${d} is not a number of ms or -1`);
    this.#total = this.#length * normalizeLoop(opts.loop);
    const div = opts.noiseDivisor ?? 0;
    if (!Number.isFinite(div) || div < 0) {
      throw new SourceError('MEDIA_SOURCE_SPEC', `bad comfort-noise divisor ${div}`);
    }
    this.#noise = div > 0 ? 32767 / div : 0;
  }

  get ended(): boolean {
    return this.#closed || this.#pos >= this.#total;
  }

  get positionMs(): number {
    const p = this.#length === Infinity || this.#length === 0 ? this.#pos : this.#pos % this.#length;
    return (p * 1000) / this.sampleRate;
  }

  read(out: Int16Array): number {
    if (this.ended) return 0;
    const n = Math.min(out.length, this.#total - this.#pos);
    if (this.#noise > 0) {
      const peak = this.#noise;
      let x = this.#seed;
      for (let i = 0; i < n; i++) {
        // xorshift32
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        out[i] = Math.round((((x >>> 0) / 4294967296) * 2 - 1) * peak);
      }
      this.#seed = x;
    } else {
      out.fill(0, 0, n);
    }
    if (n < out.length) out.fill(0, n);
    this.#pos += n;
    return n;
  }

  seek(ms: number): void {
    const p = Math.max(0, msToSamples(Number.isFinite(ms) ? ms : 0, this.sampleRate));
    this.#pos = Math.min(p, this.#total);
  }

  close(): void {
    this.#closed = true;
  }
}

/** Parses the part after `silence_stream://`: "[<ms>[,<divisor>]]" (no length = endless). */
export function parseSilenceSpec(spec: string): { durationMs: number; noiseDivisor: number } {
  const [ms, div, ...rest] = spec.split(',').map((s) => s.trim());
  const durationMs = ms === undefined || ms === '' ? -1 : Number(ms);
  const noiseDivisor = div === undefined || div === '' ? 0 : Number(div);
  const badLength = !Number.isFinite(durationMs) || (durationMs < 0 && durationMs !== -1);
  if (rest.length > 0 || badLength || !Number.isFinite(noiseDivisor)) {
    throw new SourceError('MEDIA_SOURCE_SPEC', `silence_stream "${spec}": expected <ms>[,<divisor>]`);
  }
  return { durationMs, noiseDivisor: Math.max(0, noiseDivisor) };
}
