/**
 * The recorders and taps of a session or a conference room: adds and removes sinks by id, writes every
 * tick to each, and takes a sink that throws out of the set (reported as an error, the others go on).
 * Removal closes the sink; the stop is reported when its close() settles, so the owner learns when a
 * recording file is complete.
 */
import { errorMessage } from '../../lib/index.ts';
import type { AudioSink } from '../sinks/index.ts';
import { SinkFeed, type FeedMode } from './sink-feed.ts';
import { MediaSessionError } from './session-error.ts';

export type FeedStopReason = 'stopped' | 'closed' | 'error';

export type FeedStopped = (feed: SinkFeed, reason: FeedStopReason, error?: string) => void;

export class FeedSet {
  #feeds: SinkFeed[] = [];
  #next = 1;
  #rate: number;
  #frameSamples: number;
  readonly #onStopped: FeedStopped;

  constructor(rate: number, frameSamples: number, onStopped: FeedStopped) {
    this.#rate = rate;
    this.#frameSamples = frameSamples;
    this.#onStopped = onStopped;
  }

  get size(): number {
    return this.#feeds.length;
  }

  /** Adds a sink and returns its id; throws MEDIA_SESSION_ID / MEDIA_SESSION_FORMAT. */
  add(kind: 'recording' | 'tap', sink: AudioSink, mode: FeedMode, id?: string): string {
    const feedId = id ?? `${kind === 'recording' ? 'rec' : 'tap'}-${this.#next++}`;
    if (this.#feeds.some((f) => f.id === feedId)) throw new MediaSessionError('MEDIA_SESSION_ID', `${kind} id ${feedId} is in use`);
    const feed = new SinkFeed(feedId, kind, sink, mode, this.#rate, this.#frameSamples);
    this.#feeds = [...this.#feeds, feed];
    return feedId;
  }

  /** Removes one sink of `kind` by id and closes it; false when unknown. */
  remove(kind: 'recording' | 'tap', id: string, reason: FeedStopReason = 'stopped'): boolean {
    const feed = this.#feeds.find((f) => f.id === id && f.kind === kind);
    if (!feed) return false;
    this.#drop(feed, reason);
    return true;
  }

  /** One tick to every sink (received, sent). */
  write(received: Int16Array, sent: Int16Array): void {
    const feeds = this.#feeds;
    for (let i = 0; i < feeds.length; i++) {
      const f = feeds[i]!;
      try {
        f.write(received, sent);
      } catch (err) {
        this.#drop(f, 'error', errorMessage(err));
      }
    }
  }

  setFormat(rate: number, frameSamples: number): void {
    this.#rate = rate;
    this.#frameSamples = frameSamples;
    for (const f of [...this.#feeds]) {
      try {
        f.setFormat(rate, frameSamples);
      } catch (err) {
        this.#drop(f, 'error', errorMessage(err));
      }
    }
  }

  closeAll(reason: FeedStopReason): void {
    for (const f of [...this.#feeds]) this.#drop(f, reason);
  }

  #drop(feed: SinkFeed, reason: FeedStopReason, error?: string): void {
    this.#feeds = this.#feeds.filter((f) => f !== feed);
    let closing: Promise<void>;
    try {
      closing = feed.sink.close();
    } catch (err) {
      closing = Promise.reject(err);
    }
    Promise.resolve(closing).then(
      () => this.#onStopped(feed, reason, error),
      (err: unknown) => this.#onStopped(feed, 'error', error ?? errorMessage(err)),
    );
  }
}
