/**
 * Core's ConferenceMediaFactory over the media engine's ConferenceRoom (a minus-one mixer on the legs'
 * media clock): members are the legs' MediaSessions, with mute, deaf, gains and talk detection; the room
 * plays spec strings to everyone and records the whole room to WAV.
 */
import type { Logger } from '../../lib/index.ts';
import { ConferenceRoom, type MediaClock } from '../../media/index.ts';
import type {
  ChannelMedia, ConferenceMedia, ConferenceMediaFactory, MediaPlayOptions, MediaPlayback, MediaRecordOptions,
  MediaRecording, RoomJoinOptions, RoomMembership,
} from '../../core/index.ts';
import { startPlayback, startRecording, type PlayTarget, type SourceSettings } from './media-operations.ts';
import { SessionChannelMedia } from './session-channel-media.ts';

export interface ConferenceMediaDeps {
  clock: MediaClock;
  log: Logger;
  sources?: SourceSettings;
}

class RoomMedia implements ConferenceMedia {
  readonly #room: ConferenceRoom;
  readonly #deps: ConferenceMediaDeps;
  readonly #talk = new Map<string, (talking: boolean) => void>();
  /** Member ids of this room's memberships (coaching audiences name memberships). */
  readonly #ids = new WeakMap<RoomMembership, string>();

  constructor(room: ConferenceRoom, deps: ConferenceMediaDeps) {
    this.#room = room;
    this.#deps = deps;
    room.on('talk', (e) => this.#talk.get(e.memberId)?.(e.state === 'talking'));
  }

  join(media: ChannelMedia, options: RoomJoinOptions): RoomMembership {
    if (!(media instanceof SessionChannelMedia)) throw new Error('only RTP legs of this server can join a conference room');
    const room = this.#room;
    const id = room.join(media.session, {
      mute: options.mute, deaf: options.deaf, inputGainDb: options.inputGainDb, outputGainDb: options.outputGainDb,
    });
    if (options.onTalk) this.#talk.set(id, options.onTalk);
    let left = false;
    const membership: RoomMembership = {
      setMute: (on) => room.setMute(id, on),
      setDeaf: (on) => room.setDeaf(id, on),
      setInputGainDb: (db) => room.setGains(id, { inputDb: db }),
      setOutputGainDb: (db) => room.setGains(id, { outputDb: db }),
      setAudience: (audience) => {
        if (left || room.closed) return;
        room.setAudience(id, audience?.flatMap((m) => this.#ids.get(m) ?? []));
      },
      leave: () => {
        if (left) return;
        left = true;
        this.#talk.delete(id);
        if (!room.closed) room.leave(id);
      },
    };
    this.#ids.set(membership, id);
    return membership;
  }

  play(source: string, options: MediaPlayOptions = {}): MediaPlayback {
    const room = this.#room;
    const target: PlayTarget = {
      sampleRate: room.mixer.sampleRate,
      get closed() {
        return room.closed;
      },
      play: (src, opts) => room.play(src, opts),
      stopPlayback: (id) => room.stopPlayback(id),
      on: room.on.bind(room),
    };
    return startPlayback(target, source, options, this.#deps.sources ?? {}, this.#deps.log);
  }

  record(sink: string, options: MediaRecordOptions = {}): MediaRecording {
    const room = this.#room;
    return startRecording(sink, room.mixer.sampleRate, 1, options, {
      events: room,
      feed: 'recording.stopped',
      add: (audio) => room.record(audio),
      remove: (id) => { room.stopRecording(id); },
    }, this.#deps.log);
  }

  close(): void {
    this.#talk.clear();
    this.#room.close('ended');
  }
}

export function conferenceMediaFactory(deps: ConferenceMediaDeps): ConferenceMediaFactory {
  return (name, options) => {
    const room = new ConferenceRoom({
      id: `conf-${name}`,
      clock: deps.clock,
      sampleRate: options.sampleRate === 16000 ? 16000 : 8000,
      log: deps.log,
    });
    return new RoomMedia(room, deps);
  };
}
