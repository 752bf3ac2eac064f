/**
 * Playback loops and tones (specs/esl.md §6): `endless_playback <file>` plays the file again and again
 * until hangup or break (uuid_break / break stop the current round, which ends the app);
 * `gentones <tgml>[|<loops>]` plays a TGML tone script (media/sources/tgml.ts through
 * `tone_stream://`), `loops` times (default once, -1 forever).
 */
import type { Channel } from '../../../core/index.ts';
import type { AppFn } from '../apps.ts';

async function needMedia(ch: Channel): Promise<void> {
  if (ch.direction === 'inbound' && !ch.answered) await ch.preAnswer();
}

/** Upper bound on rounds, so a file that plays in no time cannot spin. */
const MAX_ROUNDS = 1_000_000;

export const endlessPlayback: AppFn = async (ch, arg) => {
  const file = arg.trim();
  if (file === '') return '-ERR';
  await needMedia(ch);
  for (let round = 0; round < MAX_ROUNDS && !ch.ended; round += 1) {
    const outcome = await ch.play(file).done;
    if (outcome.status === 'failed') return /not found|ENOENT/i.test(outcome.error ?? '') ? 'FILE NOT FOUND' : 'PLAYBACK ERROR';
    if (outcome.status === 'stopped') break;
    // A file that played nothing would loop without end: stop there.
    if (outcome.durationMs <= 0) break;
  }
  return 'FILE PLAYED';
};

/** `<tgml>[|<loops>]` -> the tone_stream URL; undefined when the script is empty. */
export function gentonesUrl(arg: string): string | undefined {
  const t = arg.trim();
  const bar = t.lastIndexOf('|');
  const loops = bar >= 0 && /^-?\d+$/.test(t.slice(bar + 1).trim()) ? Number(t.slice(bar + 1).trim()) : undefined;
  const script = (loops === undefined ? t : t.slice(0, bar)).trim();
  if (script === '') return undefined;
  return `tone_stream://${script}${loops !== undefined && loops !== 1 && loops !== 0 ? `;loops=${loops}` : ''}`;
}

export const gentones: AppFn = async (ch, arg) => {
  const url = gentonesUrl(arg);
  if (url === undefined) return '-ERR';
  await needMedia(ch);
  const outcome = await ch.play(url).done;
  return outcome.status === 'failed' ? '-ERR' : '_none_';
};
