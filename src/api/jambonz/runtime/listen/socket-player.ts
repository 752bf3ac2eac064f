/**
 * Audio from the listen socket into the call (specs/jambonz.md §3.C, reverse direction):
 * - `playAudio` (non-streaming mode): raw L16 (8k-64k, default 16k) or WAV content, played in order;
 *   `queuePlay` queues it (at most 10 waiting, older ones beyond that dropped), otherwise it interrupts
 *   what plays and clears the queue; `playDone` goes back when each one ends.
 * - binary frames (streaming mode): pushed into one playStream with an 80 ms prebuffer; audio arriving
 *   faster than real time beyond a 5 s buffer is dropped (logged once per burst).
 * - `killAudio` stops playback and flushes what waits; `mark` is answered `playout` once the audio sent
 *   before it has played (or the play queue drained), `clearMarks` and `killAudio` answer pending marks
 *   `cleared`.
 * The media layer resamples 8-48 kHz; 64 kHz content is halved here first. close() is idempotent.
 */
import type { ChannelMedia, MediaAudioStream } from '../../../../core/index.ts';
import type { Clock, Logger, TimerHandle } from '../../../../lib/index.ts';
import { markFrame, playDoneFrame, type PlayAudioRequest } from './audio-protocol.ts';
import { PcmAssembler, downsample2x, readWavPcm } from './pcm.ts';

export const STREAM_PREBUFFER_MS = 80;
export const MAX_STREAM_BUFFER_MS = 5000;
export const MAX_QUEUED_PLAYS = 10;

interface PlayItem {
  id: string | undefined;
  pcm: Int16Array;
  sampleRate: number;
}

interface Mark {
  name: string;
  timer?: TimerHandle;
}

/** What a decoded playAudio holds, or why it cannot play. */
export function decodePlayAudio(req: PlayAudioRequest): { ok: true; item: PlayItem } | { ok: false; error: string } {
  const bytes = Buffer.from(req.audioContent, 'base64');
  if (bytes.length < 2) return { ok: false, error: 'playAudio: audioContent is empty or not base64' };
  let pcm: Int16Array;
  let rate: number;
  if (req.audioContentType === 'raw') {
    rate = req.sampleRate ?? 16000;
    pcm = new PcmAssembler().push(bytes);
  } else {
    const wav = readWavPcm(bytes);
    if (!wav.ok) return { ok: false, error: `playAudio: ${wav.error}` };
    pcm = wav.pcm;
    rate = wav.sampleRate;
  }
  if (rate === 64000) {
    pcm = downsample2x(pcm);
    rate = 32000;
  }
  if (rate < 8000 || rate > 48000) return { ok: false, error: `playAudio: sample rate ${rate} is not supported` };
  return { ok: true, item: { id: req.id, pcm, sampleRate: rate } };
}

export class SocketPlayer {
  readonly #media: ChannelMedia;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #send: (frame: Record<string, unknown>) => void;
  readonly #streamRate: number;
  readonly #queue: PlayItem[] = [];
  readonly #marks: Mark[] = [];
  readonly #assembler = new PcmAssembler();
  #current: { item: PlayItem; stream: MediaAudioStream } | undefined;
  #stream: MediaAudioStream | undefined;
  /** Clock time when the streamed audio written so far will have played. */
  #playedAt = 0;
  #overrun = false;
  #closed = false;

  constructor(media: ChannelMedia, streamRate: number, send: (frame: Record<string, unknown>) => void, clock: Clock, log: Logger) {
    this.#media = media;
    this.#streamRate = streamRate;
    this.#send = send;
    this.#clock = clock;
    this.#log = log;
  }

  /** A playAudio frame (non-streaming mode). */
  play(req: PlayAudioRequest): string | undefined {
    if (this.#closed) return undefined;
    const d = decodePlayAudio(req);
    if (!d.ok) return d.error;
    if (!this.#media.playStream) return 'playAudio: this leg cannot play streamed audio';
    if (req.queuePlay === true) {
      this.#queue.push(d.item);
      if (this.#queue.length > MAX_QUEUED_PLAYS) {
        const dropped = this.#queue.shift();
        this.#log.info({ id: dropped?.id }, 'playAudio queue full: oldest dropped');
      }
    } else {
      this.#queue.length = 0;
      this.#current?.stream.stop();
      this.#queue.push(d.item);
    }
    this.#next();
    return undefined;
  }

  /** A binary frame (streaming mode). */
  write(bytes: Buffer): void {
    if (this.#closed) return;
    let pcm = this.#assembler.push(bytes);
    if (pcm.length === 0) return;
    let rate = this.#streamRate;
    if (rate === 64000) {
      pcm = downsample2x(pcm);
      rate = 32000;
    }
    const now = this.#clock.now();
    const ms = (pcm.length * 1000) / rate;
    if (this.#stream === undefined) {
      const make = this.#media.playStream?.bind(this.#media);
      if (!make) return;
      this.#stream = make({ sampleRate: rate, prebufferMs: STREAM_PREBUFFER_MS });
      this.#playedAt = now + STREAM_PREBUFFER_MS;
    }
    const start = Math.max(this.#playedAt, now);
    if (start - now > MAX_STREAM_BUFFER_MS) {
      if (!this.#overrun) this.#log.warn({ bufferedMs: start - now }, 'audio socket sends faster than real time: audio dropped');
      this.#overrun = true;
      return;
    }
    this.#overrun = false;
    this.#playedAt = start + ms;
    this.#stream.write(pcm);
  }

  /** killAudio: stops what plays and flushes what waits; pending marks are cleared. */
  kill(): void {
    this.#queue.length = 0;
    this.#current?.stream.stop();
    this.#stream?.stop();
    this.#stream = undefined;
    this.#playedAt = 0;
    this.clearMarks();
  }

  mark(name: string): void {
    if (this.#closed) return;
    const mark: Mark = { name };
    this.#marks.push(mark);
    if (this.#stream !== undefined) {
      const wait = Math.max(0, this.#playedAt - this.#clock.now());
      mark.timer = this.#clock.setTimeout(() => this.#fire(mark), wait);
    } else if (this.#current === undefined) {
      this.#fire(mark);
    }
  }

  clearMarks(): void {
    for (const m of this.#marks.splice(0)) {
      m.timer?.cancel();
      this.#send(markFrame(m.name, 'cleared'));
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.length = 0;
    this.#current?.stream.stop();
    this.#stream?.stop();
    for (const m of this.#marks.splice(0)) m.timer?.cancel();
  }

  #fire(mark: Mark): void {
    const i = this.#marks.indexOf(mark);
    if (i < 0) return;
    this.#marks.splice(i, 1);
    this.#send(markFrame(mark.name, 'playout'));
  }

  #next(): void {
    if (this.#current || this.#closed) return;
    const item = this.#queue.shift();
    const make = this.#media.playStream?.bind(this.#media);
    if (!item || !make) {
      // The queue drained: marks waiting for it have played out.
      if (this.#stream === undefined) for (const m of [...this.#marks]) if (!m.timer) this.#fire(m);
      return;
    }
    const stream = make({ sampleRate: item.sampleRate });
    this.#current = { item, stream };
    stream.write(item.pcm);
    stream.end();
    void stream.done.then((outcome) => {
      if (this.#current?.stream === stream) this.#current = undefined;
      if (!this.#closed) {
        this.#send(playDoneFrame(item.id, {
          reason: outcome.status === 'done' ? 'playCompleted' : outcome.status === 'stopped' ? 'playStopped' : 'playFailed',
          playback_milliseconds: Math.round(outcome.durationMs),
        }));
      }
      this.#next();
    });
  }
}
