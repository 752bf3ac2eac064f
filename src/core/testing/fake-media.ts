/**
 * A scriptable ChannelMedia for tests: records what was asked, lets the test finish playbacks and
 * recordings, inject DTMF, and make chosen operations throw.
 */
import type {
  ChannelMedia, ChannelMediaStats, DtmfSource, MediaDtmf, MediaLink, MediaPlayback, MediaPlayOptions, MediaRecording,
  MediaRecordOptions, PlaybackOutcome, RecordOutcome, MediaOverlayTrack, MediaTrackPlayOptions,
} from '../index.ts';

export interface FakeOperation<O> {
  readonly spec: string;
  readonly options: object;
  settled: boolean;
  finish(outcome?: Partial<O>): void;
}

function operation<O extends { status: string; durationMs: number }>(
  spec: string, options: object, list: FakeOperation<O>[],
): { done: Promise<O>; stop(): void } {
  let resolve!: (o: O) => void;
  const done = new Promise<O>((r) => { resolve = r; });
  const op: FakeOperation<O> = {
    spec, options, settled: false,
    finish(outcome = {}) {
      if (op.settled) return;
      op.settled = true;
      resolve({ status: 'done', durationMs: 1000, ...outcome } as O);
    },
  };
  list.push(op);
  return { done, stop: () => op.finish({ status: 'stopped' } as Partial<O>) };
}

export type FakeMediaOp = 'play' | 'record' | 'sendDtmf' | 'bridge' | 'unbridge' | 'echo' | 'stats' | 'close' | 'stopPlayback';

export class FakeMedia implements ChannelMedia {
  readonly name: string;
  readonly plays: FakeOperation<PlaybackOutcome>[] = [];
  readonly records: FakeOperation<RecordOutcome>[] = [];
  readonly sentDtmf: string[] = [];
  readonly links: { other: FakeMedia; closed: boolean }[] = [];
  readonly failing = new Set<FakeMediaOp>();
  echoing = false;
  muted = false;
  /** The output gain set by setOutputGain, in dB. */
  outputGainDb = 0;
  /** Overlay tracks: their plays (spec `track:<name>:<source>`, options with gainDb) and whether removed. */
  readonly tracks = new Map<string, { removed: boolean; silenced: number }>();
  readonly trackPlays: FakeOperation<PlaybackOutcome>[] = [];
  closed = 0;
  statsValue: ChannelMediaStats = { codec: 'PCMU', packetsIn: 100, packetsOut: 90, bytesIn: 17200, bytesOut: 15480, packetsLost: 2, jitterMs: 3 };
  #dtmf = new Set<(d: MediaDtmf) => void>();

  constructor(name = 'media') {
    this.name = name;
  }

  #check(op: FakeMediaOp): void {
    if (this.failing.has(op)) throw new Error(`${this.name}: ${op} failed`);
  }

  play(source: string, options: MediaPlayOptions = {}): MediaPlayback {
    this.#check('play');
    return operation(source, options, this.plays);
  }

  stopPlayback(): void {
    this.#check('stopPlayback');
    for (const p of this.plays) p.finish({ status: 'stopped' });
  }

  record(sink: string, options: MediaRecordOptions = {}): MediaRecording {
    this.#check('record');
    return operation(sink, options, this.records);
  }

  async sendDtmf(digits: string): Promise<void> {
    this.#check('sendDtmf');
    this.sentDtmf.push(digits);
  }

  onDtmf(listener: (dtmf: MediaDtmf) => void): () => void {
    this.#dtmf.add(listener);
    return () => this.#dtmf.delete(listener);
  }

  get dtmfListeners(): number {
    return this.#dtmf.size;
  }

  /** Simulates a digit arriving from the far end. */
  receiveDtmf(digit: string, durationMs = 100, source: DtmfSource = 'rfc4733'): void {
    for (const l of [...this.#dtmf]) l({ digit, durationMs, source });
  }

  bridge(other: ChannelMedia): MediaLink {
    this.#check('bridge');
    const entry = { other: other as FakeMedia, closed: false };
    this.links.push(entry);
    return {
      mode: 'relay',
      close: () => {
        entry.closed = true;
        this.#check('unbridge');
      },
    };
  }

  echo(on: boolean): void {
    this.#check('echo');
    this.echoing = on;
  }

  setMuted(on: boolean): void {
    this.muted = on;
  }

  setOutputGain(db: number): void {
    this.outputGainDb = db;
  }

  addTrack(name: string): MediaOverlayTrack {
    const state = { removed: false, silenced: 0 };
    this.tracks.set(name, state);
    return {
      name,
      play: (source: string, options: MediaTrackPlayOptions = {}) => operation(`track:${name}:${source}`, options, this.trackPlays),
      silence: () => {
        state.silenced++;
        for (const p of this.trackPlays) if (p.spec.startsWith(`track:${name}:`)) p.finish({ status: 'stopped' });
      },
      close: () => {
        state.removed = true;
        for (const p of this.trackPlays) if (p.spec.startsWith(`track:${name}:`)) p.finish({ status: 'stopped' });
      },
    };
  }

  stats(): ChannelMediaStats {
    this.#check('stats');
    return this.statsValue;
  }

  close(): void {
    this.closed++;
    for (const p of this.plays) p.finish({ status: 'stopped' });
    for (const r of this.records) r.finish({ status: 'stopped', reason: 'hangup' });
    this.#check('close');
  }
}
