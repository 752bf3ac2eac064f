/**
 * Music for a held conference member (specs/jambonz.md §1.6 `conf:hold-status` `{conf_hold_status,
 * wait_hook}`, `conf:participant-action` `hold` with `wait_hook`; §2.6 REST `conf_hold_status`): while
 * the member is held, its `wait_hook` is called and the reply's say / play / pause verbs are played to
 * the held call, then the hook is called again, round after round, until the member is unheld, leaves
 * the conference or the call ends. An empty reply ends the music (as the original does); every round is
 * at least a second long so a failing hook does not spin. One loop per call: a new hold with a
 * wait_hook replaces the running one.
 */
import type { Channel } from '../../../../core/index.ts';
import type { Hook } from '../../contract.ts';
import type { ConnectServices } from '../dial/connect-services.ts';
import { fetchVerbs, runNested } from '../dial/nested-verbs.ts';
import { sleep, type VerbServices } from '../verbs/verb.ts';
import { roomFriendlyName } from './room-names.ts';

const MIN_ROUND_MS = 1000;
const MAX_ROUNDS = 100_000;

const loops = new WeakMap<Channel, AbortController>();

/** Whether hold music is playing to the call. */
export function holdMusicPlaying(channel: Channel): boolean {
  const loop = loops.get(channel);
  return loop !== undefined && !loop.signal.aborted;
}

/** Stops the call's hold music, if any. */
export function stopHoldMusic(channel: Channel): void {
  loops.get(channel)?.abort();
  loops.delete(channel);
}

/** Starts the wait_hook loop for the call's held member; resolves when the loop has ended. */
export function startHoldMusic(s: VerbServices, c: ConnectServices, hook: Hook): Promise<void> {
  const ch = s.channel;
  stopHoldMusic(ch);
  const loop = new AbortController();
  loops.set(ch, loop);
  const stop = (): void => loop.abort();
  const offs = [
    c.sw.bus.on('conference.memberLeft', (e) => {
      if (e.channel.uuid === ch.uuid) stop();
    }),
    c.sw.bus.on('conference.memberUpdated', (e) => {
      if (e.change === 'hold' && e.member.uuid === ch.uuid && !e.member.hold) stop();
    }),
    ch.on('hangup', stop),
  ];
  const log = s.log.child({ holdMusic: true });
  const run = async (): Promise<void> => {
    for (let round = 0; round < MAX_ROUNDS && !loop.signal.aborted && !ch.ended; round++) {
      const started = s.clock.now();
      const name = ch.conference;
      const room = name === undefined ? undefined : c.sw.conference(name);
      const verbs = await fetchVerbs(s, c, hook, { conference_sid: room?.id, friendly_name: name === undefined ? undefined : roomFriendlyName(c.account.account_sid, name) });
      if (loop.signal.aborted) break;
      if (verbs.length === 0) {
        log.info('the wait_hook replied with nothing: hold music ends');
        break;
      }
      if ((await runNested(s, c, verbs, loop.signal)) === 'leave') break;
      const rest = MIN_ROUND_MS - (s.clock.now() - started);
      if (rest > 0 && !loop.signal.aborted) await sleep(s.clock, rest, loop.signal);
    }
  };
  return run()
    .catch((err: unknown) => log.warn({ err }, 'hold music failed'))
    .finally(() => {
      for (const off of offs) off();
      if (loops.get(ch) === loop) loops.delete(ch);
    });
}
