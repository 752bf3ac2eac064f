/**
 * A conference room (ConferenceRoom: the minus-one mixer) that lives in a media worker, seen from the
 * core's thread. Its members are sessions of the same worker; commands are posted in order, events come
 * back as the room's own typed events.
 */
import { TypedEmitter, errorMessage } from '../../lib/index.ts';
import type { ConferenceRoomEvents, MediaEventMessage } from '../session/index.ts';
import type { SinkLimits } from '../sinks/index.ts';
import type { MediaEventTarget, MediaWorker } from './media-worker.ts';
import { mediaId, type RemoteSession } from './remote-session.ts';

export class RemoteRoom implements MediaEventTarget {
  readonly id: string;
  readonly worker: MediaWorker;
  readonly sampleRate: 8000 | 16000;
  readonly #events = new TypedEmitter<ConferenceRoomEvents>();
  #closed = false;

  constructor(worker: MediaWorker, sampleRate: 8000 | 16000 = 8000) {
    this.worker = worker;
    this.id = mediaId('room');
    this.sampleRate = sampleRate;
    worker.register(`room:${this.id}`, this);
    worker.post({ op: 'room.create', roomId: this.id, sampleRate });
  }

  get closed(): boolean {
    return this.#closed;
  }

  on<K extends keyof ConferenceRoomEvents>(event: K, listener: (payload: ConferenceRoomEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /** Adds a session of this room's worker; returns the member id. */
  join(session: RemoteSession, options: { mute?: boolean; deaf?: boolean } = {}): string {
    if (session.worker !== this.worker) throw new Error('a room member must live in the room\'s media worker');
    const memberId = mediaId('m');
    this.worker.post({ op: 'room.join', roomId: this.id, sessionId: session.id, memberId, ...options });
    return memberId;
  }

  leave(memberId: string): void {
    if (!this.#closed) this.worker.post({ op: 'room.leave', roomId: this.id, memberId });
  }

  /** `audience`: coaching, only those members hear this one ([] nobody, null everyone). */
  member(memberId: string, change: { mute?: boolean; deaf?: boolean; inputDb?: number; outputDb?: number; audience?: string[] | null }): void {
    if (!this.#closed) this.worker.post({ op: 'room.member', roomId: this.id, memberId, ...change });
  }

  play(source: string, options: { loop?: number; queue?: boolean } = {}): string {
    const playbackId = mediaId('p');
    this.worker.post({ op: 'room.play', roomId: this.id, playbackId, source, ...options });
    return playbackId;
  }

  stopPlayback(playbackId?: string): void {
    if (!this.#closed) this.worker.post({ op: 'room.stopPlayback', roomId: this.id, ...(playbackId === undefined ? {} : { playbackId }) });
  }

  /** Records the room; `onFailed` hears why it could not start (the sink did not open). */
  record(sink: string, limits?: SinkLimits, onFailed?: (message: string) => void): string {
    const recordingId = mediaId('r');
    const command = { op: 'room.record', roomId: this.id, recordingId, sink, ...(limits ? { limits } : {}) } as const;
    if (onFailed) this.worker.call(command).catch((err: unknown) => onFailed(errorMessage(err)));
    else this.worker.post(command);
    return recordingId;
  }

  stopRecording(recordingId: string): void {
    if (!this.#closed) this.worker.post({ op: 'room.stopRecording', roomId: this.id, recordingId });
  }

  close(): void {
    if (!this.#closed) this.worker.post({ op: 'room.close', roomId: this.id });
  }

  onMediaEvent(message: MediaEventMessage): void {
    if (message.kind !== 'room') return;
    if (message.event === 'closed') {
      if (this.#closed) return;
      this.#closed = true;
      // A room recording's stop event follows `closed` (the file is finished asynchronously).
      setTimeout(() => this.worker.forget(`room:${this.id}`), 10_000).unref();
    }
    (this.#events.emit as (e: string, p: unknown) => void)(message.event, message.payload);
  }
}
