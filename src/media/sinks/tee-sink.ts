/**
 * Fans one stream of frames out to several sinks (a recording and a live tap of the same call). Every
 * sink must share the tee's sample rate; close() closes them all.
 */
import type { AudioSink, SinkChannel } from './audio-sink.ts';
import { SinkError } from './sink-error.ts';

export class TeeSink implements AudioSink {
  readonly sampleRate: number;
  readonly #sinks: AudioSink[] = [];
  #closed: Promise<void> | null = null;

  constructor(sampleRate: number, sinks: Iterable<AudioSink> = []) {
    this.sampleRate = sampleRate;
    for (const s of sinks) this.add(s);
  }

  get size(): number {
    return this.#sinks.length;
  }

  add(sink: AudioSink): void {
    if (sink.sampleRate !== this.sampleRate) {
      throw new SinkError('MEDIA_SINK_OPTIONS', `a ${sink.sampleRate} Hz sink on a ${this.sampleRate} Hz tee`);
    }
    this.#sinks.push(sink);
  }

  /** Detaches a sink without closing it; returns false when it was not attached. */
  remove(sink: AudioSink): boolean {
    const i = this.#sinks.indexOf(sink);
    if (i < 0) return false;
    this.#sinks.splice(i, 1);
    return true;
  }

  write(frame: Int16Array, channel: SinkChannel = 0): void {
    if (this.#closed) return;
    for (const s of this.#sinks) s.write(frame, channel);
  }

  close(): Promise<void> {
    this.#closed ??= Promise.all(this.#sinks.map((s) => s.close())).then(() => undefined);
    return this.#closed;
  }
}
