/**
 * `listen` / `stream` nested in `dial` (specs/jambonz.md §3.A dial, §3.C; the original's dial.js runs
 * its listen task on the A leg's endpoint, or the B leg's with `channel: 2`): while the legs are
 * bridged the audio of the forked leg goes to the socket (mono: that party; stereo: that party left,
 * what it hears, the other party, right; mixed: both), with the B leg's call info in the metadata frame.
 * Bidirectional audio is off when nested (§3.C). The fork ends with the bridge; if it ends first (the
 * app disconnects, maxLength, finishOnKey) its actionHook is notified with `dial_call_duration` and
 * `digits`, its reply not used (§2.3, nested verbs).
 */
import type { Channel } from '../../../../core/index.ts';
import type { CallInfo } from '../call-info.ts';
import { ListenFork, listenOptionsFor, trackFork } from '../listen/index.ts';
import { asNumber, type VerbData } from '../verb-data.ts';
import { hookOf, type VerbServices } from '../verbs/verb.ts';

/** Starts the nested fork; returns its stop. */
export function startDialListen(s: VerbServices, data: Record<string, unknown>, a: Channel, b: Channel, childInfo: CallInfo): () => void {
  const parsed = listenOptionsFor(s, data);
  if (!parsed) return () => {};
  const options = { ...parsed, playAudio: false, streaming: false };
  const channel = asNumber(data['channel']) === 2 ? b : a;
  const fork = new ListenFork(options, { channel, clock: s.clock, log: s.log.child({ nested: 'listen' }), callInfo: () => childInfo.toJSON() });
  trackFork(s, fork, false);
  let stopped = false;
  const verb: VerbData = { ...data, verb: 'listen' };
  void fork.start().catch((err: unknown) => s.log.warn({ err }, 'dial: nested listen failed to start'));
  void fork.ended.then((end) => {
    if (end.reason === 'connect-failed') {
      s.notifyError({ msg: 'listen failed', details: `audio socket ${options.url}: ${end.error ?? 'unusable'}` }, verb);
    }
    if (stopped || end.reason === 'hangup') return;
    const results: Record<string, unknown> = { dial_call_duration: Math.round(end.durationMs / 1000) };
    if (options.finishOnKey !== undefined) results['digits'] = end.digits;
    s.notifyHook(hookOf(data['actionHook']), results, verb);
  });
  return () => {
    stopped = true;
    fork.stop('stopped');
  };
}
