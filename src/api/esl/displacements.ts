/**
 * Files displaced into a leg's audio (specs/esl.md §5 uuid_displace, §6 displace_session): each is a
 * playback on the leg (the media layer plays it over whatever the leg hears), kept by channel and path so
 * that `stop <path>` finds it; an optional limit stops it on the switch clock, and the `l` flag loops it.
 * An entry goes away when its playback ends (done, stopped, hangup).
 */
import type { Clock, TimerHandle } from '../../lib/index.ts';
import type { Channel, Playback } from '../../core/index.ts';

export interface DisplaceOptions {
  /** Stop after this many milliseconds (0 or absent: no limit). */
  limitMs?: number;
  /** Play it again and again (flag `l`). */
  loop?: boolean;
}

export class Displacements {
  readonly #clock: Clock;
  readonly #byChannel = new Map<string, Map<string, { playback: Playback; timer?: TimerHandle }>>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Starts displacing `path` into the leg; false when the leg has no media or is gone. */
  start(channel: Channel, path: string, options: DisplaceOptions = {}): boolean {
    if (channel.ended || !channel.media) return false;
    this.stop(channel.uuid, path);
    const playback = channel.play(path, options.loop ? { loops: 0 } : {});
    const entry: { playback: Playback; timer?: TimerHandle } = { playback };
    if (options.limitMs !== undefined && options.limitMs > 0) entry.timer = this.#clock.setTimeout(() => playback.stop(), options.limitMs);
    let paths = this.#byChannel.get(channel.uuid);
    if (!paths) this.#byChannel.set(channel.uuid, paths = new Map());
    paths.set(path, entry);
    void playback.done.then(() => {
      entry.timer?.cancel();
      const now = this.#byChannel.get(channel.uuid);
      if (now?.get(path) === entry) now.delete(path);
      if (now?.size === 0) this.#byChannel.delete(channel.uuid);
    });
    return true;
  }

  /** Stops the displacement of `path` on the leg; false when there is none. */
  stop(uuid: string, path: string): boolean {
    const entry = this.#byChannel.get(uuid)?.get(path);
    if (!entry) return false;
    this.#byChannel.get(uuid)!.delete(path);
    if (this.#byChannel.get(uuid)!.size === 0) this.#byChannel.delete(uuid);
    entry.timer?.cancel();
    entry.playback.stop();
    return true;
  }

  /** Paths displaced into the leg now. */
  active(uuid: string): string[] {
    return [...(this.#byChannel.get(uuid)?.keys() ?? [])];
  }
}
