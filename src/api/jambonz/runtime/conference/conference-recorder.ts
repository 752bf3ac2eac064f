/**
 * The conference verb's `record` (specs/jambonz.md §3.A conference `record`; verb-specifications
 * `#record` `{path}`): the room's mix (every member and the room's announcements) recorded to a mono
 * WAV from the time a member with `record` joined until the conference ends. The original records to
 * the `path` on the media server; here the file goes to the account's recordings directory as
 * `<recordingSid>.wav` with its `<recordingSid>.json` description, so it is listed and downloaded over
 * REST with the call recordings; `path` is kept in the description. One recording per conference.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Conference, RecordOutcome } from '../../../../core/index.ts';
import { errorMessage, type Clock, type Logger } from '../../../../lib/index.ts';
import { RecordingMetaFile } from '../recording/index.ts';
import { roomFriendlyName } from './room-names.ts';

/** What `<recordingSid>.json` holds for a conference recording. */
export interface ConferenceRecordingMeta {
  recording_sid: string;
  call_sid: string;
  account_sid: string;
  status: 'in-progress' | 'completed' | 'failed';
  started_at: string;
  ended_at?: string;
  duration_secs?: number;
  channels: 1;
  sample_rate?: number;
  conference_sid: string;
  friendly_name: string;
  path?: string;
  error?: string;
}

export interface ConferenceRecorderInit {
  conference: Conference;
  /** The account's recordings folder. */
  dir: string;
  callSid: string;
  accountSid: string;
  path?: string;
  clock: Clock;
  /** Epoch ms (wall time for the description). */
  now: () => number;
  log: Logger;
}

const recorders = new WeakMap<Conference, ConferenceRecorder>();

/** The conference's recording (started by the first member with `record`), if any. */
export function conferenceRecorderOf(conference: Conference): ConferenceRecorder | undefined {
  return recorders.get(conference);
}

/** Starts recording the conference unless it already is; the recorder either way. */
export function recordConference(init: ConferenceRecorderInit): ConferenceRecorder {
  const current = recorders.get(init.conference);
  if (current) return current;
  const rec = new ConferenceRecorder(init);
  recorders.set(init.conference, rec);
  return rec;
}

/** Sample rate of a WAV file's header (bytes 24..27), undefined when unreadable. */
async function wavRateOf(file: string): Promise<number | undefined> {
  try {
    const fh = await open(file, 'r');
    try {
      const head = Buffer.alloc(28);
      const { bytesRead } = await fh.read(head, 0, 28, 0);
      return bytesRead === 28 && head.toString('ascii', 0, 4) === 'RIFF' ? head.readUInt32LE(24) : undefined;
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}

export class ConferenceRecorder {
  readonly meta: ConferenceRecordingMeta;
  /** Resolves with the final description once the file is complete (or failed). */
  readonly finished: Promise<ConferenceRecordingMeta>;
  readonly #init: ConferenceRecorderInit;
  readonly #startedAt: number;
  readonly #metaFile: RecordingMetaFile;

  constructor(init: ConferenceRecorderInit) {
    this.#init = init;
    this.#startedAt = init.clock.now();
    this.meta = {
      recording_sid: randomUUID(), call_sid: init.callSid, account_sid: init.accountSid, status: 'in-progress',
      started_at: new Date(init.now()).toISOString(), channels: 1,
      conference_sid: init.conference.id, friendly_name: roomFriendlyName(init.accountSid, init.conference.name),
      ...(init.path !== undefined ? { path: init.path } : {}),
    };
    this.#metaFile = new RecordingMetaFile(init.dir, this.meta.recording_sid, init.log);
    let done: Promise<RecordOutcome>;
    try {
      mkdirSync(init.dir, { recursive: true });
      done = init.conference.record(this.file).done;
    } catch (err) {
      done = Promise.resolve({ status: 'failed', durationMs: 0, error: errorMessage(err) });
    }
    void this.#metaFile.write(this.meta);
    init.log.info({ recordingSid: this.sid, conference: init.conference.name }, 'conference recording started');
    this.finished = done.then((outcome) => this.#finish(outcome));
  }

  get sid(): string { return this.meta.recording_sid; }
  get file(): string { return join(this.#init.dir, `${this.sid}.wav`); }

  async #finish(outcome: RecordOutcome): Promise<ConferenceRecordingMeta> {
    const rate = outcome.status === 'failed' ? undefined : await wavRateOf(this.file);
    this.meta.ended_at = new Date(this.#init.now()).toISOString();
    this.meta.duration_secs = Math.round((this.#init.clock.now() - this.#startedAt) / 100) / 10;
    if (rate !== undefined) {
      this.meta.status = 'completed';
      this.meta.sample_rate = rate;
    } else {
      this.meta.status = 'failed';
      this.meta.error = outcome.error ?? 'nothing was recorded';
    }
    await this.#metaFile.write(this.meta);
    this.#init.log.info({ recordingSid: this.sid, status: this.meta.status, error: this.meta.error }, 'conference recording ended');
    return this.meta;
  }
}
