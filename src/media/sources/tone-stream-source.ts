/**
 * The tone_stream:// player: plays a parsed TGML script (tgml.ts, FreeSWITCH TGML) at the caller's rate.
 * Durations are rounded to whole samples once, so cadences are sample-exact (at 8 kHz a 2000/4000 ms
 * ring cadence is exactly 100 frames on, 200 off). Each tone starts at phase 0; a sample is computed from
 * its index in the tone, so seeking is exact and nothing is allocated per frame.
 */
import type { AudioSource, LoopCount } from './audio-source.ts';
import { checkSampleRate, msToSamples, normalizeLoop } from './audio-source.ts';
import { SourceError } from './source-error.ts';
import type { TgmlScript } from './tgml.ts';
import { parseTgml } from './tgml.ts';

interface Segment {
  on: number;
  total: number;
  /** Radians per sample of each frequency. */
  steps: Float64Array;
  /** Start amplitude per frequency. */
  amp: number;
  /** Ramp: every `every` samples multiply the amplitude by `factor`; 0 = none. */
  every: number;
  factor: number;
}

export interface ToneStreamOptions {
  sampleRate: number;
  /** Extra plays of the whole script (multiplies L= and loops=). */
  loop?: LoopCount;
}

export class ToneStreamSource implements AudioSource {
  readonly sampleRate: number;
  readonly #segments: Segment[];
  readonly #plays: number;
  /** Samples in one play of the script. */
  readonly #length: number;
  #play = 0;
  #seg = 0;
  #inSeg = 0;
  #amp = 0;
  #ended = false;

  constructor(script: TgmlScript | string, opts: ToneStreamOptions) {
    const rate = checkSampleRate(opts.sampleRate);
    const parsed = typeof script === 'string' ? parseTgml(script) : script;
    this.sampleRate = rate;
    this.#plays = parsed.plays * normalizeLoop(opts.loop);
    this.#segments = parsed.tones.map((t) => {
      for (const f of t.frequencies) {
        if (f >= rate / 2) throw new SourceError('MEDIA_SOURCE_SPEC', `tone ${f} Hz cannot be played at ${rate} Hz`);
      }
      const on = msToSamples(t.onMs, rate);
      const n = Math.max(1, t.frequencies.length);
      return {
        on,
        total: on + msToSamples(t.offMs, rate),
        steps: Float64Array.from(t.frequencies, (f) => (2 * Math.PI * f) / rate),
        amp: (32767 * 10 ** (t.volumeDb / 20)) / n,
        every: t.rampStepMs > 0 && t.rampDb !== 0 ? Math.max(1, msToSamples(t.rampStepMs, rate)) : 0,
        factor: 10 ** (t.rampDb / 20),
      };
    });
    this.#length = this.#segments.reduce((s, g) => s + g.total, 0);
    if (this.#length === 0) this.#ended = true;
    this.#enter(0, 0);
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Position within the current play of the script. */
  get positionMs(): number {
    let p = this.#inSeg;
    for (let i = 0; i < this.#seg && i < this.#segments.length; i++) p += this.#segments[i]!.total;
    return (p * 1000) / this.sampleRate;
  }

  /** Length of one play in ms. */
  get durationMs(): number {
    return (this.#length * 1000) / this.sampleRate;
  }

  read(out: Int16Array): number {
    if (this.#ended) return 0;
    const n = out.length;
    let i = 0;
    while (i < n) {
      if (this.#seg >= this.#segments.length) {
        this.#play++;
        if (this.#play >= this.#plays) {
          this.#ended = true;
          break;
        }
        this.#enter(0, 0);
      }
      const s = this.#segments[this.#seg]!;
      const k = Math.min(n - i, s.total - this.#inSeg);
      this.#render(s, out, i, k);
      i += k;
      this.#inSeg += k;
      if (this.#inSeg >= s.total) this.#enter(this.#seg + 1, 0);
    }
    if (i < n) out.fill(0, i);
    return i;
  }

  seek(ms: number): void {
    if (this.#length === 0) return;
    let t = Math.max(0, msToSamples(Number.isFinite(ms) ? ms : 0, this.sampleRate));
    t %= this.#length;
    let seg = 0;
    while (t >= this.#segments[seg]!.total) t -= this.#segments[seg++]!.total;
    this.#ended = this.#play >= this.#plays;
    this.#enter(seg, t);
  }

  close(): void {
    this.#ended = true;
  }

  #enter(seg: number, offset: number): void {
    this.#seg = seg;
    this.#inSeg = offset;
    const s = this.#segments[seg];
    if (!s) return;
    // The amplitude of the sample before `offset` (render() applies the step at each multiple of `every`).
    const steps = s.every > 0 ? Math.floor(Math.max(0, Math.min(offset, s.on) - 1) / s.every) : 0;
    this.#amp = s.amp * s.factor ** steps;
  }

  #render(s: Segment, out: Int16Array, at: number, k: number): void {
    const steps = s.steps;
    const tones = steps.length;
    let amp = this.#amp;
    for (let j = 0; j < k; j++) {
      const t = this.#inSeg + j;
      if (t >= s.on || tones === 0) {
        out[at + j] = 0;
        continue;
      }
      if (s.every > 0 && t > 0 && t % s.every === 0) amp *= s.factor;
      let v = 0;
      for (let f = 0; f < tones; f++) v += Math.sin(steps[f]! * t);
      const r = Math.round(amp * v);
      out[at + j] = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
    }
    this.#amp = amp;
  }
}
