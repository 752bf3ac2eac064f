/**
 * A session as a member of a conference mixer (../mixer.ts, minus-one mixing). Each tick the session's
 * decoded input (jitter buffer, decoder) is resampled to the mixer's rate into the member's input in
 * the receive phase; the mixer mixes once in the mix phase; the member's output is resampled back and
 * encoded by the session in the send phase (tick-scheduler.ts), so nobody hears the room a tick late.
 *
 * The mix step of a mixer is its driver: a ConferenceRoom registers itself as the driver of the mixer it
 * owns; a bare Mixer joined here gets a plain driver (mix() once per tick) while it has members.
 */
import type { MediaClock } from '../media-clock.ts';
import type { MemberOptions, Mixer, MixerMember } from '../mixer.ts';
import { FrameResampler } from './frame-resampler.ts';
import type { MediaSession } from './media-session.ts';
import { MediaSessionError } from './session-error.ts';
import type { LinkedSession, LinkOutput, SessionLink, SessionMode } from './session-link.ts';
import { TickScheduler, type TickMixer } from './tick-scheduler.ts';

export interface JoinMixerOptions extends MemberOptions {
  /** Member id in the mixer (default: the session id). */
  memberId?: string;
}

interface Driver {
  readonly scheduler: TickScheduler;
  readonly mixer: TickMixer;
  /** False for a room's own driver (the room registers and unregisters it). */
  readonly plain: boolean;
  members: number;
}

const drivers = new WeakMap<Mixer, Driver>();

/** @internal Makes `driver` the mix step of `mixer` on `clock` (a conference room); returns the undo. */
export function registerMixerDriver(mixer: Mixer, clock: MediaClock, driver: TickMixer): () => void {
  if (drivers.has(mixer)) throw new MediaSessionError('MEDIA_SESSION_BUSY', 'the mixer already has a driver');
  const scheduler = TickScheduler.of(clock);
  const d: Driver = { scheduler, mixer: driver, plain: false, members: 0 };
  drivers.set(mixer, d);
  scheduler.addMixer(driver);
  return () => {
    if (drivers.get(mixer) === d) drivers.delete(mixer);
    scheduler.removeMixer(driver);
  };
}

function acquire(mixer: Mixer, clock: MediaClock): Driver {
  let d = drivers.get(mixer);
  if (!d) {
    const plain: TickMixer = {
      mixPhase: () => mixer.mix(),
      onTickError: () => {},
    };
    d = { scheduler: TickScheduler.of(clock), mixer: plain, plain: true, members: 0 };
    drivers.set(mixer, d);
    d.scheduler.addMixer(plain);
  } else if (d.scheduler.clock !== clock) {
    throw new MediaSessionError('MEDIA_SESSION_CLOCK', 'the session and the mixer run on different media clocks');
  }
  d.members++;
  return d;
}

function release(mixer: Mixer, d: Driver): void {
  d.members--;
  if (d.plain && d.members <= 0) {
    d.scheduler.removeMixer(d.mixer);
    if (drivers.get(mixer) === d) drivers.delete(mixer);
  }
}

export class MixerLink implements SessionLink {
  readonly mode: SessionMode = 'conference';
  readonly session: MediaSession;
  readonly mixer: Mixer;
  readonly member: MixerMember;
  readonly #driver: Driver;
  readonly #onClose: ((link: MixerLink) => void) | undefined;
  #in: FrameResampler;
  #out: FrameResampler;
  #inputPaused = true;
  #closed = false;

  /** Use joinMixer() or ConferenceRoom.join(). */
  constructor(session: MediaSession, mixer: Mixer, options: JoinMixerOptions = {}, onClose?: (link: MixerLink) => void) {
    if (session.closed) throw new MediaSessionError('MEDIA_SESSION_CLOSED', 'cannot join a closed session');
    if (mixer.frameMs !== session.tickMs) {
      throw new MediaSessionError('MEDIA_SESSION_CONFIG', `the mixer's ${mixer.frameMs} ms frames do not match the ${session.tickMs} ms tick`);
    }
    this.session = session;
    this.mixer = mixer;
    this.#onClose = onClose;
    this.#in = new FrameResampler(session.sampleRate, mixer.sampleRate, session.rxFrame.length, mixer.frameSamples);
    this.#out = new FrameResampler(mixer.sampleRate, session.sampleRate, mixer.frameSamples, session.rxFrame.length);
    this.#driver = acquire(mixer, session.clock);
    const { memberId, ...memberOptions } = options;
    try {
      session.attachLink(this);
      try {
        this.member = mixer.add(memberId ?? session.id, memberOptions);
      } catch (err) {
        session.detachLink(this);
        throw new MediaSessionError('MEDIA_SESSION_ID', (err as Error).message, { cause: err });
      }
    } catch (err) {
      release(mixer, this.#driver);
      throw err;
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Leaves the mixer; the session continues standalone. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.mixer.remove(this.member);
    this.session.detachLink(this);
    release(this.mixer, this.#driver);
    this.#onClose?.(this);
  }

  // ---- SessionLink ----

  onAudioPacket(): void {}

  onEventPacket(): void {}

  onDigit(): void {}

  afterReceive(_from: LinkedSession, frame: Int16Array, audio: boolean): void {
    if (!audio) {
      this.#inputPaused = true;
      return;
    }
    if (this.#inputPaused) {
      this.#in.reset();
      this.#inputPaused = false;
    }
    this.#in.convert(frame, this.member.input);
    this.member.hasInput = true;
  }

  produce(_to: LinkedSession, out: Int16Array): LinkOutput {
    if (this.member.outputSilent) return 'silence';
    this.#out.convert(this.member.output, out);
    return 'audio';
  }

  needsDecode(): boolean {
    return true;
  }

  reconfigured(s: LinkedSession): void {
    this.#in = new FrameResampler(s.sampleRate, this.mixer.sampleRate, s.rxFrame.length, this.mixer.frameSamples);
    this.#out = new FrameResampler(this.mixer.sampleRate, s.sampleRate, this.mixer.frameSamples, s.rxFrame.length);
  }

  detach(): void {
    this.close();
  }
}

/** Makes a session a member of `mixer` (see MixerLink); close() on the result leaves. */
export function joinMixer(session: MediaSession, mixer: Mixer, options?: JoinMixerOptions): MixerLink {
  return new MixerLink(session, mixer, options);
}
