/**
 * A source standing in for one that is still being prepared (a URL downloading, a file decoding): it
 * plays silence until the real source is ready, then delegates to it. A failure lands in `error` (the
 * source ends; nothing is thrown into the tick). A seek asked for before readiness is applied on arrival.
 */
import { SwitchboardError } from '../../lib/index.ts';
import type { AudioSource } from './audio-source.ts';
import { SourceError } from './source-error.ts';

export class DeferredSource implements AudioSource {
  readonly sampleRate: number;
  readonly ready: Promise<void>;
  #inner: AudioSource | undefined;
  #error: Error | undefined;
  #seekMs: number | undefined;
  #closed = false;

  /** `pending` must produce a source of `sampleRate`; its rejection becomes `error`. */
  constructor(sampleRate: number, pending: Promise<AudioSource>) {
    this.sampleRate = sampleRate;
    this.ready = pending.then(
      (src) => {
        if (this.#closed) {
          src.close();
          return;
        }
        if (this.#seekMs !== undefined) src.seek?.(this.#seekMs);
        this.#inner = src;
      },
      (err: unknown) => {
        const why = err instanceof Error ? err.message : String(err);
        this.#error =
          err instanceof SwitchboardError
            ? err
            : new SourceError('MEDIA_SOURCE_IO', `source failed: ${why}`, { cause: err });
      },
    );
  }

  /** True once the real source is playing (or failed). */
  get isReady(): boolean {
    return this.#inner !== undefined || this.#error !== undefined;
  }

  get ended(): boolean {
    return this.#closed || this.#error !== undefined || (this.#inner?.ended ?? false);
  }

  get error(): Error | undefined {
    return this.#error ?? this.#inner?.error;
  }

  get positionMs(): number {
    return this.#inner?.positionMs ?? this.#seekMs ?? 0;
  }

  read(out: Int16Array): number {
    if (this.#closed || this.#error) return 0;
    const inner = this.#inner;
    if (inner) return inner.read(out);
    out.fill(0);
    return out.length;
  }

  seek(ms: number): void {
    if (this.#inner) this.#inner.seek?.(ms);
    else this.#seekMs = ms;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#inner?.close();
  }
}
