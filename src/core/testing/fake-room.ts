/** A ConferenceMedia for tests: tracks memberships and their mixer settings, lets the test raise talk events. */
import type {
  ChannelMedia, ConferenceMedia, ConferenceMediaFactory, MediaPlayback, MediaRecording, RoomJoinOptions, RoomMembership,
} from '../index.ts';
import { FakeMedia } from './fake-media.ts';

export interface FakeMembership {
  media: ChannelMedia;
  mute: boolean;
  deaf: boolean;
  inputGainDb: number;
  outputGainDb: number;
  left: boolean;
  onTalk?: (talking: boolean) => void;
  /** Coaching: who hears this member (undefined: everyone). */
  audience?: ChannelMedia[] | undefined;
}

export class FakeRoom implements ConferenceMedia {
  readonly name: string;
  readonly memberships: FakeMembership[] = [];
  /** Room playbacks and recordings run on this stand-in. */
  readonly output = new FakeMedia('room');
  failJoin = false;
  closed = 0;
  readonly #byMembership = new WeakMap<RoomMembership, FakeMembership>();

  constructor(name: string) {
    this.name = name;
  }

  get present(): FakeMembership[] {
    return this.memberships.filter((m) => !m.left);
  }

  of(media: ChannelMedia): FakeMembership | undefined {
    return this.memberships.find((m) => m.media === media && !m.left);
  }

  join(media: ChannelMedia, options: RoomJoinOptions): RoomMembership {
    if (this.failJoin) throw new Error('join failed');
    const m: FakeMembership = { media, ...options, left: false };
    this.memberships.push(m);
    const membership: RoomMembership = {
      setMute: (on) => { m.mute = on; },
      setDeaf: (on) => { m.deaf = on; },
      setInputGainDb: (db) => { m.inputGainDb = db; },
      setOutputGainDb: (db) => { m.outputGainDb = db; },
      setAudience: (audience) => { m.audience = audience?.flatMap((x) => this.#byMembership.get(x)?.media ?? []); },
      leave: () => { m.left = true; },
    };
    this.#byMembership.set(membership, m);
    return membership;
  }

  talk(media: ChannelMedia, talking: boolean): void {
    this.of(media)?.onTalk?.(talking);
  }

  play(source: string): MediaPlayback {
    return this.output.play(source);
  }

  record(sink: string): MediaRecording {
    return this.output.record(sink);
  }

  close(): void {
    this.closed++;
    for (const m of this.memberships) m.left = true;
    this.output.close();
  }
}

export function fakeRoomFactory(): { factory: ConferenceMediaFactory; rooms: FakeRoom[] } {
  const rooms: FakeRoom[] = [];
  return {
    rooms,
    factory: (name) => {
      const room = new FakeRoom(name);
      rooms.push(room);
      return room;
    },
  };
}
