/**
 * One direction of a session's audio sent out by another session: what the party of `from` says
 * ('received') or hears ('sent') becomes the outgoing audio of `to`, encoded in `to`'s own codec. This is
 * how a recording client forks a call's media to a recording server (RFC 7866 section 8: one send-only
 * stream per direction), and it works wherever both sessions run, the core's thread or a media worker,
 * since nothing leaves the thread: a tap on `from` writes each tick into a small FIFO that a playback on
 * `to` reads from (silence while it is empty). The FIFO holds a few ticks at most; older audio is dropped
 * first, so the fork never drifts behind. Closing either session ends the fork; close() is idempotent.
 */
import type { AudioSink } from '../sinks/index.ts';
import type { AudioSource } from '../sources/index.ts';
import type { MediaSession } from './media-session.ts';
import { PcmFifo } from './pcm-fifo.ts';
import { MediaSessionError } from './session-error.ts';

export type ForkDirection = 'received' | 'sent';

/** Ticks of audio the pipe holds at most. */
const PIPE_TICKS = 4;

/** Both ends of the fork: a sink for the tap, a source for the playback. */
class ForkPipe implements AudioSink, AudioSource {
  readonly sampleRate: number;
  readonly #fifo: PcmFifo;
  #closed = false;
  #delivered = 0;

  constructor(sampleRate: number, tickSamples: number) {
    this.sampleRate = sampleRate;
    this.#fifo = new PcmFifo(tickSamples * PIPE_TICKS);
  }

  get ended(): boolean {
    return this.#closed;
  }

  get positionMs(): number {
    return (this.#delivered * 1000) / this.sampleRate;
  }

  /** Channel 0 is the direction the tap was made for (the feed writes a silent channel 1 after it). */
  write(frame: Int16Array, channel: 0 | 1 = 0): void {
    if (channel === 0 && !this.#closed) this.#fifo.push(frame);
  }

  read(out: Int16Array): number {
    if (this.#closed) return 0;
    const n = this.#fifo.read(out);
    if (n < out.length) out.fill(0, n);
    this.#delivered += out.length;
    return out.length;
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#fifo.clear();
    return Promise.resolve();
  }
}

export interface ForkOptions {
  /** Id of the fork (its tap on `from` and playback on `to` are named after it); generated when absent. */
  id?: string;
}

let nextFork = 0;

export class SessionFork {
  readonly id: string;
  readonly from: MediaSession;
  readonly to: MediaSession;
  readonly direction: ForkDirection;
  readonly #tapId: string;
  readonly #playbackId: string;
  readonly #offs: (() => void)[];
  #closed = false;

  /** Use forkSession(). Throws MEDIA_SESSION_BUSY / _CLOSED / _CLOCK / _ID / _FORMAT. */
  constructor(from: MediaSession, to: MediaSession, direction: ForkDirection, options: ForkOptions = {}) {
    if (from === to) throw new MediaSessionError('MEDIA_SESSION_BUSY', 'a session cannot be forked to itself');
    if (from.closed || to.closed) throw new MediaSessionError('MEDIA_SESSION_CLOSED', 'cannot fork a closed session');
    if (from.clock !== to.clock) throw new MediaSessionError('MEDIA_SESSION_CLOCK', 'sessions on different media clocks cannot be forked');
    this.id = options.id ?? `fork-${(++nextFork).toString(36)}`;
    this.from = from;
    this.to = to;
    this.direction = direction;
    const pipe = new ForkPipe(to.sampleRate, (to.sampleRate * to.tickMs) / 1000);
    this.#playbackId = to.play(pipe, { id: this.id, loop: 1 });
    try {
      this.#tapId = from.addTap(pipe, direction, { id: this.id });
    } catch (err) {
      to.stopPlayback(this.#playbackId);
      throw err;
    }
    this.#offs = [from.on('closed', () => this.close()), to.on('closed', () => this.close())];
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Ends the fork (the tap and the playback); both sessions go on. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#offs) off();
    if (!this.from.closed) this.from.removeTap(this.#tapId);
    if (!this.to.closed) this.to.stopPlayback(this.#playbackId);
  }
}

/** Sends `direction` of `from`'s audio out through `to` (see SessionFork). */
export function forkSession(from: MediaSession, to: MediaSession, direction: ForkDirection, options?: ForkOptions): SessionFork {
  return new SessionFork(from, to, direction, options);
}
