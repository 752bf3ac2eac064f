/**
 * A local recording of one call (specs/jambonz.md §1.6 `record`, §3.A `config.record`; the original
 * records through SIPREC, this server also to a file): a stereo WAV in the recordings directory, the
 * caller on the left channel and what the caller hears (the other party, prompts) on the right. Pausing
 * ends the current segment; resuming starts another; at the end the segments are joined into
 * `<recordingSid>.wav` with the paused time as silence, and `<recordingSid>.json` describes it
 * (recording-catalog.ts reads them). The recording ends with stop() or with the call.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Channel, Recording } from '../../../../core/index.ts';
import { errorMessage, type Clock, type Logger } from '../../../../lib/index.ts';
import { RuntimeError } from '../runtime-error.ts';
import { RecordingMetaFile } from './recording-meta-file.ts';
import { joinWavSegments } from './wav-join.ts';

export type RecordingStatus = 'in-progress' | 'paused' | 'completed' | 'failed';

/** What `<recordingSid>.json` holds (and the REST listing shows). */
export interface RecordingMeta {
  recording_sid: string;
  call_sid: string;
  account_sid: string;
  status: RecordingStatus;
  started_at: string;
  ended_at?: string;
  duration_secs?: number;
  channels: 2;
  sample_rate?: number;
  recording_id?: string;
  error?: string;
}

export interface CallRecorderInit {
  channel: Channel;
  /** Directory of the account's recordings. */
  dir: string;
  callSid: string;
  accountSid: string;
  clock: Clock;
  log: Logger;
  recordingId?: string;
}

interface Segment {
  path: string;
  recording: Recording;
  /** Paused time before it (ms). */
  silenceBeforeMs: number;
}

export class CallRecorder {
  readonly meta: RecordingMeta;
  readonly #init: CallRecorderInit;
  readonly #segments: Segment[] = [];
  readonly #offHangup: () => void;
  #pausedAt: number | undefined;
  #startedAt: number;
  #finished: Promise<RecordingMeta> | undefined;
  readonly #metaFile: RecordingMetaFile;

  constructor(init: CallRecorderInit) {
    this.#init = init;
    this.#startedAt = init.clock.now();
    this.meta = {
      recording_sid: randomUUID(), call_sid: init.callSid, account_sid: init.accountSid, status: 'in-progress',
      started_at: new Date(init.clock.now()).toISOString(), channels: 2,
      ...(init.channel.media?.sampleRate ? { sample_rate: init.channel.media.sampleRate } : {}),
      ...(init.recordingId ? { recording_id: init.recordingId } : {}),
    };
    this.#metaFile = new RecordingMetaFile(init.dir, this.meta.recording_sid, init.log);
    mkdirSync(init.dir, { recursive: true });
    this.#segment(0);
    void this.#metaFile.write(this.meta);
    this.#offHangup = init.channel.on('hangup', () => void this.stop());
  }

  get sid(): string { return this.meta.recording_sid; }
  get file(): string { return join(this.#init.dir, `${this.sid}.wav`); }
  get done(): boolean { return this.#finished !== undefined; }

  pause(): void {
    if (this.#finished) throw new RuntimeError('JAMBONZ_CALL_STATE', 'the recording has ended');
    if (this.#pausedAt !== undefined) return;
    this.#pausedAt = this.#init.clock.now();
    this.#segments.at(-1)?.recording.stop();
    this.meta.status = 'paused';
    void this.#metaFile.write(this.meta);
  }

  resume(): void {
    if (this.#finished) throw new RuntimeError('JAMBONZ_CALL_STATE', 'the recording has ended');
    if (this.#pausedAt === undefined) return;
    const gap = this.#init.clock.now() - this.#pausedAt;
    this.#pausedAt = undefined;
    this.#segment(gap);
    this.meta.status = 'in-progress';
    void this.#metaFile.write(this.meta);
  }

  /** Ends the recording and writes the joined WAV; idempotent. */
  stop(): Promise<RecordingMeta> {
    this.#finished ??= this.#finish();
    return this.#finished;
  }

  #segment(silenceBeforeMs: number): void {
    const path = join(this.#init.dir, `${this.sid}.part${this.#segments.length}.wav`);
    const recording = this.#init.channel.record(path, { direction: 'both', stereo: true });
    this.#segments.push({ path, recording, silenceBeforeMs });
  }

  async #finish(): Promise<RecordingMeta> {
    this.#offHangup();
    const now = this.#init.clock.now();
    for (const s of this.#segments) s.recording.stop();
    const outcomes = await Promise.all(this.#segments.map((s) => s.recording.done));
    const parts = await Promise.all(this.#segments.map(async (s) => ({
      bytes: await readFile(s.path).catch(() => undefined), silenceBeforeMs: s.silenceBeforeMs,
    })));
    const joined = joinWavSegments(parts);
    this.meta.ended_at = new Date(now).toISOString();
    this.meta.duration_secs = Math.round((now - this.#startedAt) / 100) / 10;
    if (joined) {
      try {
        await writeFile(this.file, joined);
        this.meta.status = 'completed';
        this.meta.sample_rate = joined.readUInt32LE(24);
      } catch (err) {
        this.meta.status = 'failed';
        this.meta.error = errorMessage(err);
      }
    } else {
      this.meta.status = 'failed';
      this.meta.error = outcomes.find((o) => o.error)?.error ?? 'nothing was recorded';
    }
    await Promise.all(this.#segments.map((s) => rm(s.path, { force: true })));
    await this.#metaFile.write(this.meta);
    this.#init.log.info({ recordingSid: this.sid, status: this.meta.status, error: this.meta.error }, 'call recording ended');
    return this.meta;
  }
}
