/**
 * Starting an audio fork from verb data (the `listen` / `stream` verb and `config.listen`; specs/jambonz.md
 * §3.A, §3.C): options parsed (relative URLs against the application's base), the optional beep played
 * first, the fork registered on its session for `listen:status`.
 */
import { errorMessage } from '../../../../lib/index.ts';
import { baseUrlOf } from '../app-connection.ts';
import { connectOf } from '../dial/connect-services.ts';
import type { VerbServices } from '../verbs/verb.ts';
import { ListenFork } from './listen-fork.ts';
import { listenOptionsOf, type ListenOptions } from './listen-options.ts';
import { trackFork } from './session-listens.ts';

/** The beep of `playBeep`. */
export const LISTEN_BEEP = 'tone_stream://%(200,0,880)';

/** Options of a listen from verb data; a `jambonz:error` and undefined when unusable. */
export function listenOptionsFor(s: VerbServices, data: Record<string, unknown>): ListenOptions | undefined {
  try {
    return listenOptionsOf(data, baseUrlOf(connectOf(s)?.callHook));
  } catch (err) {
    s.notifyError({ msg: 'invalid listen', details: errorMessage(err) }, { ...data, verb: 'listen' });
    return undefined;
  }
}

/** Creates, registers and starts a fork (after the beep); the fork's `ended` tells how it went. */
export async function startFork(s: VerbServices, options: ListenOptions, background: boolean): Promise<ListenFork> {
  if (options.playBeep && s.channel.answered) await s.channel.play(LISTEN_BEEP).done;
  const fork = new ListenFork(options, {
    channel: s.channel, clock: s.clock, log: s.log, callInfo: () => s.callInfo.toJSON(),
  });
  trackFork(s, fork, background);
  await fork.start();
  return fork;
}
