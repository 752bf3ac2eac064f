/**
 * Plays several sources one after the other as one (FreeSWITCH `file_string://a.wav!b.wav`, a jambonz
 * play verb with a list of URLs). A part that ends mid-frame is followed by the next part in the same
 * frame, so there is no gap. A part that fails ends the whole with its error.
 */
import type { AudioSource } from './audio-source.ts';

export class ConcatSource implements AudioSource {
  readonly sampleRate: number;
  readonly #parts: AudioSource[];
  #index = 0;
  /** Position at the start of the current part. */
  #doneMs = 0;
  #closed = false;
  #error: Error | undefined;

  /** All parts must have the same sample rate. */
  constructor(parts: AudioSource[], sampleRate: number) {
    this.sampleRate = sampleRate;
    this.#parts = parts;
  }

  get ended(): boolean {
    return this.#closed || this.#error !== undefined || this.#index >= this.#parts.length;
  }

  get error(): Error | undefined {
    return this.#error;
  }

  get positionMs(): number {
    return this.#doneMs + (this.#parts[this.#index]?.positionMs ?? 0);
  }

  read(out: Int16Array): number {
    if (this.ended) return 0;
    let got = 0;
    while (got < out.length && this.#index < this.#parts.length) {
      const part = this.#parts[this.#index]!;
      const n = part.read(got === 0 ? out : out.subarray(got));
      if (part.error) {
        this.#error = part.error;
        break;
      }
      got += n;
      if (n === 0 || part.ended) {
        this.#doneMs += part.positionMs;
        part.close();
        this.#index++;
      }
    }
    if (got < out.length) out.fill(0, got);
    return got;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of this.#parts) p.close();
  }
}
