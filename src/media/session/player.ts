/**
 * Playback of AudioSources into a session or a conference room, one at a time with an optional queue.
 * Reported through two low-frequency callbacks: started (at the first tick it sounds) and stopped
 * ('finished' when the source ended and its loops are done, 'stopped' by a command or a newer play,
 * 'error' when the source failed). The player owns every source handed to it and closes it when done.
 * Loops replay a source by seeking to 0; a source that cannot seek plays once.
 */
import { errorMessage } from '../../lib/index.ts';
import type { AudioSource } from '../sources/index.ts';
import { MediaSessionError } from './session-error.ts';
import { SourceReader } from './source-reader.ts';

export type PlaybackStopReason = 'finished' | 'stopped' | 'error';

export interface PlayOptions {
  /** Times to play: 1 by default; 0 plays until stopped. */
  loop?: number;
  /** Queue behind the current playback instead of replacing it. */
  queue?: boolean;
  /** Caller-chosen playback id (a worker host proxies with ids it chose); generated when absent. */
  id?: string;
}

export interface PlayerCallbacks {
  onStarted(id: string): void;
  onStopped(id: string, reason: PlaybackStopReason, error?: string): void;
}

interface Item {
  readonly id: string;
  readonly source: AudioSource;
  reader: SourceReader;
  loopsLeft: number;
  started: boolean;
}

export class Player {
  #rate: number;
  #frameSamples: number;
  readonly #callbacks: PlayerCallbacks;
  readonly #prefix: string;
  #items: Item[] = [];
  #next = 1;

  constructor(rate: number, frameSamples: number, callbacks: PlayerCallbacks, idPrefix = 'pb') {
    this.#rate = rate;
    this.#frameSamples = frameSamples;
    this.#callbacks = callbacks;
    this.#prefix = idPrefix;
  }

  /** True while something plays (or waits in the queue). */
  get active(): boolean {
    return this.#items.length > 0;
  }

  /** Id of the playback sounding now. */
  get currentId(): string | undefined {
    return this.#items[0]?.id;
  }

  /** Starts (or queues) a playback and returns its id; throws MEDIA_SESSION_FORMAT / MEDIA_SESSION_ID. */
  play(source: AudioSource, options: PlayOptions = {}): string {
    const id = options.id ?? `${this.#prefix}-${this.#next++}`;
    if (this.#items.some((i) => i.id === id)) throw new MediaSessionError('MEDIA_SESSION_ID', `playback id ${id} is in use`);
    const loop = options.loop ?? 1;
    if (!(Number.isInteger(loop) && loop >= 0)) throw new MediaSessionError('MEDIA_SESSION_CONFIG', `loop ${loop} is not a count`);
    const reader = new SourceReader(source, this.#rate, this.#frameSamples);
    if (!options.queue) this.stop();
    this.#items.push({ id, source, reader, loopsLeft: loop === 0 ? Infinity : loop, started: false });
    return id;
  }

  /** Stops the current playback and empties the queue (each reported 'stopped'). */
  stop(): void {
    const items = this.#items;
    this.#items = [];
    for (const item of items) this.#finish(item, 'stopped');
  }

  /** Stops one playback by id (current or queued); false when unknown. */
  stopOne(id: string): boolean {
    const i = this.#items.findIndex((x) => x.id === id);
    if (i < 0) return false;
    const [item] = this.#items.splice(i, 1);
    this.#finish(item!, 'stopped');
    return true;
  }

  /** A new session rate (re-INVITE to another codec): the readers are rebuilt. */
  setFormat(rate: number, frameSamples: number): void {
    if (rate === this.#rate && frameSamples === this.#frameSamples) return;
    this.#rate = rate;
    this.#frameSamples = frameSamples;
    for (const item of [...this.#items]) {
      try {
        item.reader = new SourceReader(item.source, rate, frameSamples);
      } catch (err) {
        this.#items.splice(this.#items.indexOf(item), 1);
        this.#finish(item, 'error', errorMessage(err));
      }
    }
  }

  /** One tick: fills `out` (silence while a stream buffers); false when nothing plays. */
  fill(out: Int16Array): boolean {
    for (let guard = 0; guard < 8; guard++) {
      const item = this.#items[0];
      if (!item) return false;
      if (!item.started) {
        item.started = true;
        this.#callbacks.onStarted(item.id);
      }
      let n: number;
      try {
        n = item.reader.read(out);
      } catch (err) {
        this.#advance(item, 'error', errorMessage(err));
        continue;
      }
      if (item.source.error) {
        this.#advance(item, 'error', item.source.error.message);
        if (n > 0) return true;
        continue;
      }
      if (!item.reader.ended) return true;
      if (item.loopsLeft > 1 && item.source.seek) {
        item.loopsLeft--;
        try {
          item.source.seek(0);
          item.reader.reset();
        } catch (err) {
          this.#advance(item, 'error', errorMessage(err));
        }
        if (n > 0) return true;
        continue;
      }
      this.#advance(item, 'finished');
      if (n > 0) return true;
    }
    out.fill(0);
    return this.#items.length > 0;
  }

  close(): void {
    this.stop();
  }

  #advance(item: Item, reason: PlaybackStopReason, error?: string): void {
    const i = this.#items.indexOf(item);
    if (i >= 0) this.#items.splice(i, 1);
    this.#finish(item, reason, error);
  }

  #finish(item: Item, reason: PlaybackStopReason, error?: string): void {
    try {
      item.source.close();
    } catch {
      // closing a source never fails a session
    }
    this.#callbacks.onStopped(item.id, reason, error);
  }
}
