/**
 * The conference commands and REST updates with their hold music (specs/jambonz.md §1.6
 * `conf:hold-status` `{conf_hold_status, wait_hook}`, `conf:participant-action` `{action, tag,
 * wait_hook}`; §2.6 `conf_hold_status`, `conferenceParticipantAction`): the member control of
 * conference-member-control.ts, then a hold with a `wait_hook` starts the held call's music
 * (hold-music.ts) and an unhold stops it.
 */
import type { Hook } from '../../contract.ts';
import type { ConnectServices } from '../dial/connect-services.ts';
import { RuntimeError } from '../runtime-error.ts';
import { hookOf, type VerbServices } from '../verbs/verb.ts';
import { holdMember, participantAction } from './conference-member-control.ts';
import { startHoldMusic, stopHoldMusic } from './hold-music.ts';

/** The wait_hook of a hold (undefined when none); a RuntimeError when it is not a hook. */
function waitHookOf(value: unknown): Hook | undefined {
  if (value === undefined || value === null) return undefined;
  const hook = hookOf(value);
  if (!hook) throw new RuntimeError('JAMBONZ_COMMAND_INVALID', 'wait_hook must be a URL or {url, method, username, password}');
  return hook;
}

function music(s: VerbServices, c: ConnectServices, hold: boolean, hook: Hook | undefined): void {
  if (!hold) stopHoldMusic(s.channel);
  else if (hook) void startHoldMusic(s, c, hook);
}

/** conf:hold-status / REST conf_hold_status. */
export function holdWithMusic(s: VerbServices, c: ConnectServices, status: unknown, waitHook: unknown): void {
  const hook = waitHookOf(waitHook);
  holdMember(c.sw, s.channel, status);
  music(s, c, status === 'hold', hook);
}

/** conf:participant-action / REST conferenceParticipantAction. */
export function memberAction(s: VerbServices, c: ConnectServices, action: unknown, tag: unknown, waitHook: unknown): void {
  const hook = action === 'hold' ? waitHookOf(waitHook) : undefined;
  participantAction(c.sw, s.channel, action, tag);
  if (action === 'hold' || action === 'unhold') music(s, c, action === 'hold', hook);
  if (action === 'kick') stopHoldMusic(s.channel);
}
