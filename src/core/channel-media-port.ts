/**
 * The media side of a Channel: holds the leg's ChannelMedia, forwards its DTMF to the channel, runs
 * playbacks and recordings (with their events and terminators), and releases everything when the leg
 * ends, reading the final media counters first for the CDR.
 */
import { errorMessage, type Logger } from '../lib/index.ts';
import type {
  ChannelMedia, ChannelMediaStats, MediaDtmf, MediaPlayOptions, MediaRecordOptions, PlaySource, RecordSink, SendDtmfOptions,
  StopReason,
} from './channel-media.ts';
import { OK, fail, type OpResult } from './core-error.ts';
import type { ChannelSnapshot, EventBus } from './event-bus.ts';
import {
  failedPlayback, failedRecording, trackPlayback, trackRecording, type Playback, type Recording, type TrackOptions,
} from './media-tracking.ts';

export interface PlayOptions extends MediaPlayOptions, Pick<TrackOptions, 'terminators'> {}
export interface RecordOptions extends MediaRecordOptions, Pick<TrackOptions, 'terminators'> {}

export interface MediaPortOwner {
  readonly uuid: string;
  readonly log: Logger;
  readonly bus: EventBus;
  isEnded(): boolean;
  snapshot(): ChannelSnapshot;
  /** Media reported a digit. */
  mediaDtmf(dtmf: MediaDtmf): void;
  /** Subscribes to the channel's received digits (all sources). */
  onDigit(listener: (digit: string) => void): () => void;
}

export class ChannelMediaPort {
  readonly #owner: MediaPortOwner;
  #media: ChannelMedia | undefined;
  #offDtmf: (() => void) | undefined;
  #finalStats: ChannelMediaStats | undefined;
  readonly #active = new Map<string, { stop(why?: StopReason): void }>();

  constructor(owner: MediaPortOwner) {
    this.#owner = owner;
  }

  get media(): ChannelMedia | undefined {
    return this.#media;
  }

  get finalStats(): ChannelMediaStats | undefined {
    return this.#finalStats;
  }

  attach(media: ChannelMedia): void {
    if (media === this.#media) return;
    if (this.#owner.isEnded()) {
      this.#safe('media.close', () => media.close());
      return;
    }
    this.release(false);
    this.#media = media;
    this.#offDtmf = media.onDtmf((d) => this.#owner.mediaDtmf(d));
  }

  play(source: PlaySource, options: PlayOptions = {}): Playback {
    const media = this.#media;
    if (this.#owner.isEnded()) return failedPlayback(source, 'channel hung up');
    if (!media) return failedPlayback(source, 'channel has no media');
    const { terminators, ...mediaOptions } = options;
    const bus = this.#owner.bus;
    return trackPlayback(source, () => media.play(source, mediaOptions), {
      log: this.#owner.log,
      started: (id) => bus.emit('playback.started', { id, source, channel: this.#owner.snapshot() }),
      stopped: (id, outcome) => bus.emit('playback.stopped', { id, source, channel: this.#owner.snapshot(), outcome }),
      active: this.#active,
    }, { terminators, onDigit: (l) => this.#owner.onDigit(l) });
  }

  record(sink: RecordSink, options: RecordOptions = {}): Recording {
    const media = this.#media;
    if (this.#owner.isEnded()) return failedRecording(sink, 'channel hung up');
    if (!media) return failedRecording(sink, 'channel has no media');
    const { terminators, ...mediaOptions } = options;
    const bus = this.#owner.bus;
    return trackRecording(sink, () => media.record(sink, mediaOptions), {
      log: this.#owner.log,
      started: (id) => bus.emit('record.started', { id, sink, channel: this.#owner.snapshot() }),
      stopped: (id, outcome) => bus.emit('record.stopped', { id, sink, channel: this.#owner.snapshot(), outcome }),
      active: this.#active,
    }, { terminators, onDigit: (l) => this.#owner.onDigit(l) });
  }

  async sendDtmf(digits: string, options: SendDtmfOptions): Promise<OpResult> {
    const media = this.#media;
    if (this.#owner.isEnded()) return fail('CORE_CHANNEL_GONE', `channel ${this.#owner.uuid} hung up`);
    if (!media) return fail('CORE_NO_MEDIA', `channel ${this.#owner.uuid} has no media`);
    try {
      await media.sendDtmf(digits, options);
      return OK;
    } catch (err) {
      return fail('CORE_MEDIA_FAILED', `sendDtmf failed: ${errorMessage(err)}`, err);
    }
  }

  /** Runs a synchronous media control (stopPlayback, echo) as a result. */
  control(op: string, fn: (media: ChannelMedia) => void): OpResult {
    if (this.#owner.isEnded()) return fail('CORE_CHANNEL_GONE', `${op}: channel ${this.#owner.uuid} hung up`);
    const media = this.#media;
    if (!media) return fail('CORE_NO_MEDIA', `${op}: channel ${this.#owner.uuid} has no media`);
    try {
      fn(media);
      return OK;
    } catch (err) {
      return fail('CORE_MEDIA_FAILED', `${op} failed: ${errorMessage(err)}`, err);
    }
  }

  /** Stops every playback and recording (their outcomes settle as `stopped`). */
  stopAll(why?: StopReason): void {
    for (const op of [...this.#active.values()]) this.#safe('stop', () => op.stop(why));
  }

  /**
   * Closes media that reports its final counters asynchronously (closeWithStats) and keeps them for the
   * CDR, waiting at most `wait` allows; other media is left for release().
   */
  async settleFinal(wait: (work: () => Promise<unknown>) => Promise<boolean>): Promise<void> {
    const media = this.#media;
    if (!media?.closeWithStats) return;
    this.#offDtmf?.();
    this.#offDtmf = undefined;
    this.#media = undefined;
    this.#safe('media.stats', () => { this.#finalStats = { ...media.stats() }; });
    const inTime = await wait(async () => {
      this.#finalStats = { ...(await media.closeWithStats!()) };
    });
    if (!inTime) this.#owner.log.warn('final media statistics did not arrive in time');
  }

  /** Closes the media; `final` reads its counters first (for the CDR). */
  release(final: boolean): void {
    const media = this.#media;
    if (!media) return;
    if (final) this.#safe('media.stats', () => { this.#finalStats = { ...media.stats() }; });
    this.#offDtmf?.();
    this.#offDtmf = undefined;
    this.#media = undefined;
    this.#safe('media.close', () => media.close());
  }

  #safe(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#owner.log.warn({ err, what }, 'media step failed');
    }
  }
}
