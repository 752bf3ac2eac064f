/**
 * The media side of a Channel: holds the leg's ChannelMedia, forwards its DTMF to the channel, runs
 * playbacks and recordings (with their events and terminators), and releases everything when the leg
 * ends, reading the final media counters first for the CDR. While the leg's media is bypassed (it flows
 * between the parties, not through the server) there is no media: operations fail with
 * CORE_MEDIA_BYPASSED, and the counters of the media released for the bypass are carried into the CDR's.
 */
import { errorMessage, type Logger } from '../lib/index.ts';
import type {
  ChannelMedia, ChannelMediaStats, MediaDtmf, MediaPlayOptions, MediaRecordOptions, PlaySource, RecordSink, SendDtmfOptions,
  StopReason,
} from './channel-media.ts';
import { CoreError, OK, fail, type OpResult } from './core-error.ts';
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
  #bypassed = false;
  /** Counters of media released earlier (media bypass), added to the final ones. */
  #carried: ChannelMediaStats | undefined;
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

  get bypassed(): boolean {
    return this.#bypassed;
  }

  /**
   * The media goes away because it now flows between the parties (media bypass): its counters are kept
   * for the CDR, it is closed (its ports go back), and media operations fail until attach().
   */
  bypass(): void {
    const media = this.#media;
    this.#bypassed = true;
    if (!media) return;
    this.#safe('media.stats', () => { this.#carried = addStats(this.#carried, media.stats()); });
    this.release(false);
  }

  attach(media: ChannelMedia): void {
    if (media === this.#media) return;
    if (this.#owner.isEnded()) {
      this.#safe('media.close', () => media.close());
      return;
    }
    this.release(false);
    this.#bypassed = false;
    this.#media = media;
    this.#offDtmf = media.onDtmf((d) => this.#owner.mediaDtmf(d));
  }

  play(source: PlaySource, options: PlayOptions = {}): Playback {
    const media = this.#media;
    if (this.#owner.isEnded()) return failedPlayback(source, 'channel hung up');
    if (this.#bypassed) return failedPlayback(source, this.#bypassedError('play').message);
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
    if (this.#bypassed) return failedRecording(sink, this.#bypassedError('record').message);
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
    if (this.#bypassed) return { ok: false, error: this.#bypassedError('sendDtmf') };
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
    if (this.#bypassed) return { ok: false, error: this.#bypassedError(op) };
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
    this.#safe('media.stats', () => { this.#finalStats = addStats(this.#carried, media.stats()); });
    const inTime = await wait(async () => {
      this.#finalStats = addStats(this.#carried, await media.closeWithStats!());
    });
    if (!inTime) this.#owner.log.warn('final media statistics did not arrive in time');
  }

  /** Closes the media; `final` reads its counters first (for the CDR). */
  release(final: boolean): void {
    const media = this.#media;
    if (!media) {
      if (final && this.#carried && !this.#finalStats) this.#finalStats = { ...this.#carried };
      return;
    }
    if (final) this.#safe('media.stats', () => { this.#finalStats = addStats(this.#carried, media.stats()); });
    this.#offDtmf?.();
    this.#offDtmf = undefined;
    this.#media = undefined;
    this.#safe('media.close', () => media.close());
  }

  #bypassedError(op: string): CoreError {
    this.#owner.log.info({ op }, 'media operation refused: the media is bypassed');
    return new CoreError('CORE_MEDIA_BYPASSED', `${op}: the media of channel ${this.#owner.uuid} is bypassed (it flows between the parties)`);
  }

  #safe(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#owner.log.warn({ err, what }, 'media step failed');
    }
  }
}

/** Counters of two media periods of one leg: sums, with the later period's codec and quality. */
function addStats(earlier: ChannelMediaStats | undefined, later: ChannelMediaStats): ChannelMediaStats {
  if (!earlier) return { ...later };
  const sum = (a: number | undefined, b: number | undefined): number | undefined =>
    a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
  const out: ChannelMediaStats = {
    ...earlier, ...later,
    packetsIn: earlier.packetsIn + later.packetsIn, packetsOut: earlier.packetsOut + later.packetsOut,
    bytesIn: earlier.bytesIn + later.bytesIn, bytesOut: earlier.bytesOut + later.bytesOut,
    packetsLost: earlier.packetsLost + later.packetsLost,
  };
  const dtmfIn = sum(earlier.dtmfIn, later.dtmfIn);
  const dtmfOut = sum(earlier.dtmfOut, later.dtmfOut);
  if (dtmfIn !== undefined) out.dtmfIn = dtmfIn;
  if (dtmfOut !== undefined) out.dtmfOut = dtmfOut;
  return out;
}
