/**
 * Core's ConferenceMediaFactory over rooms in media workers (RemoteRoom, the minus-one mixer). A room is
 * created in the worker of its first member (or the least loaded one, when something is played to it
 * first); a member of another worker joins through an RTP trunk (trunk-link.ts): the trunk's far end is
 * the room member, its near end is bridged to the leg. Mute, deaf, gains and talk detection apply to
 * the member as in ConferenceRoom.
 */
import type { Logger } from '../../lib/index.ts';
import { RemoteRoom, type MediaWorker, type MediaWorkers } from '../../media/index.ts';
import type {
  ChannelMedia, ConferenceMedia, ConferenceMediaFactory, MediaPlayOptions, MediaPlayback, MediaRecordOptions,
  MediaRecording, RoomJoinOptions, RoomMembership,
} from '../../core/index.ts';
import { sinkLimits, trackPlayback, trackRecording } from './outcome-tracker.ts';
import { openTrunk } from './trunk-link.ts';
import { WorkerChannelMedia } from './worker-channel-media.ts';

class WorkerRoomMedia implements ConferenceMedia {
  readonly #workers: MediaWorkers;
  readonly #sampleRate: 8000 | 16000;
  readonly #log: Logger;
  readonly #talk = new Map<string, (talking: boolean) => void>();
  /** Member ids of this room's memberships (coaching audiences name memberships). */
  readonly #ids = new WeakMap<RoomMembership, string>();
  #room: RemoteRoom | undefined;
  #closed = false;

  constructor(workers: MediaWorkers, sampleRate: 8000 | 16000, log: Logger) {
    this.#workers = workers;
    this.#sampleRate = sampleRate;
    this.#log = log;
  }

  #roomIn(worker: MediaWorker): RemoteRoom {
    if (!this.#room) {
      const room = new RemoteRoom(worker, this.#sampleRate);
      room.on('talk', (e) => this.#talk.get(e.memberId)?.(e.state === 'talking'));
      this.#room = room;
    }
    return this.#room;
  }

  join(media: ChannelMedia, options: RoomJoinOptions): RoomMembership {
    if (this.#closed) throw new Error('the conference room is closed');
    if (!(media instanceof WorkerChannelMedia)) throw new Error('only RTP legs of this server can join a conference room');
    const leg = media.session;
    const room = this.#roomIn(leg.worker);
    let release = (): void => {};
    let member = leg;
    if (room.worker !== leg.worker) {
      const trunk = openTrunk(leg, room.worker);
      const bridgeId = `${trunk.near.id}-link`;
      leg.worker.post({ op: 'bridge.create', bridgeId, a: leg.id, b: trunk.near.id, mode: 'auto' });
      member = trunk.far;
      release = () => {
        leg.worker.post({ op: 'bridge.close', bridgeId });
        trunk.close();
      };
    }
    const id = room.join(member, { mute: options.mute, deaf: options.deaf });
    if (options.inputGainDb !== 0 || options.outputGainDb !== 0) room.member(id, { inputDb: options.inputGainDb, outputDb: options.outputGainDb });
    if (options.onTalk) this.#talk.set(id, options.onTalk);
    let left = false;
    const membership: RoomMembership = {
      setMute: (on) => room.member(id, { mute: on }),
      setDeaf: (on) => room.member(id, { deaf: on }),
      setInputGainDb: (db) => room.member(id, { inputDb: db }),
      setOutputGainDb: (db) => room.member(id, { outputDb: db }),
      setAudience: (audience) => {
        if (!left) room.member(id, { audience: audience ? audience.flatMap((m) => this.#ids.get(m) ?? []) : null });
      },
      leave: () => {
        if (left) return;
        left = true;
        this.#talk.delete(id);
        room.leave(id);
        release();
      },
    };
    this.#ids.set(membership, id);
    return membership;
  }

  play(source: string, options: MediaPlayOptions = {}): MediaPlayback {
    if (this.#closed) return { done: Promise.resolve({ status: 'stopped', durationMs: 0 }), stop: () => {} };
    const room = this.#roomIn(this.#workers.pick());
    return trackPlayback(room, {
      start: () => room.play(source, { loop: options.loops ?? 1, queue: true }),
      stop: (id) => room.stopPlayback(id),
    }, { rate: room.sampleRate, log: this.#log, name: source });
  }

  record(sink: string, options: MediaRecordOptions = {}): MediaRecording {
    if (this.#closed) return { done: Promise.resolve({ status: 'failed', durationMs: 0, error: 'the conference room is closed' }), stop: () => {} };
    const room = this.#roomIn(this.#workers.pick());
    return trackRecording(room, 'recording.stopped', {
      start: (failed) => room.record(sink, sinkLimits(options), failed),
      stop: (id) => room.stopRecording(id),
    }, { rate: room.sampleRate, log: this.#log, name: sink });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#talk.clear();
    this.#room?.close();
  }
}

export function workerConferenceMediaFactory(workers: MediaWorkers, log: Logger): ConferenceMediaFactory {
  return (_name, options) => new WorkerRoomMedia(workers, options.sampleRate === 16000 ? 16000 : 8000, log);
}
