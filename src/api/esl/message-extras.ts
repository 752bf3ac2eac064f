/**
 * The sendmsg execute headers that act around the app itself (specs/esl.md §2.2 sendmsg):
 * `lead-frames: <n>` reads n frames (20 ms each) before the app starts, and `hold-bleg: true` plays
 * hold music to the bridged partner while the app runs. The partner hears its own `hold_music` /
 * `temp_hold_music` variable, else the controlled channel's `hold_music`; with none set it is only
 * left as it is (there is no built-in music-on-hold stream).
 */
import type { Clock } from '../../lib/index.ts';
import type { Channel, Playback, Switch } from '../../core/index.ts';

/** One frame at the default 20 ms packetization. */
export const FRAME_MS = 20;
/** At most this many lead frames (one minute). */
export const MAX_LEAD_FRAMES = 3000;

/** Waits for `frames` frames on the switch clock (bounded by MAX_LEAD_FRAMES); stops early at hangup. */
export function leadFrames(clock: Clock, channel: Channel, frames: number): Promise<void> {
  const n = Math.min(Math.max(0, Math.trunc(frames)), MAX_LEAD_FRAMES);
  if (!(n > 0) || channel.ended) return Promise.resolve();
  return new Promise((resolve) => { clock.setTimeout(resolve, n * FRAME_MS); });
}

/** Starts hold music on the channel's bridged partner; the returned function stops it (idempotent). */
export function holdPartner(sw: Switch, channel: Channel): () => void {
  const other = channel.bridgedTo === undefined ? undefined : sw.channel(channel.bridgedTo);
  if (!other || other.ended || !other.media) return () => undefined;
  const music = other.getVariable('temp_hold_music') ?? other.getVariable('hold_music') ?? channel.getVariable('hold_music');
  if (music === undefined || music === '' || music === 'silence') return () => undefined;
  let playback: Playback | undefined = other.play(music, { loops: 0 });
  return () => {
    playback?.stop();
    playback = undefined;
  };
}
