/**
 * A dial's B leg given its own application (specs/jambonz.md §1.3 `session:adulting`, §1.6 `redirect
 * {child_call_hook, child_call}`, §2.6 `child_call_hook`; the original's call-session.js _lccCallHook and
 * place-outdial.js doAdulting):
 *
 * 1. with a `child_call_hook`, the A leg's application is asked for the B leg's verbs: `session:redirect`
 *    to that hook, on the A leg's connection, with the B leg's call info; inline `child_call` verbs are
 *    used as they are;
 * 2. the B leg runs them in a session of its own, connected to the A leg's application: a WebSocket app
 *    gets a new socket to its call hook's URL + `/adulting`, a webhook app gets its hooks relative to its
 *    call hook's origin (and its call_status_hook); the session announces itself with
 *    `session:adulting` (hook `/adulting`): the B leg's call info + `parent_call_info`, the A leg's
 *    (snake-cased, as the original's requestors send it). The reply to that announcement is not used.
 *
 * A hook that fails or replies no usable verbs ends the B leg (logged, and a `jambonz:error` to the A
 * leg's app).
 */
import type { Channel } from '../../../../core/index.ts';
import { errorMessage, type Logger } from '../../../../lib/index.ts';
import type { Hook } from '../../contract.ts';
import { transportOf } from '../app-connection.ts';
import type { CallInfo } from '../call-info.ts';
import type { VerbData } from '../verb-data.ts';
import type { VerbServices } from '../verbs/verb.ts';
import type { ConnectServices } from './connect-services.ts';

/** Where `session:adulting` goes: `<socket URL>/adulting` for a WebSocket call hook, else `/adulting` on its origin. */
export function adultingHook(callHook: Hook | undefined): Hook | undefined {
  if (callHook === undefined) return undefined;
  if (transportOf(callHook) !== 'ws') return '/adulting';
  const url = typeof callHook === 'string' ? callHook : callHook.url;
  const hash = url.indexOf('#');
  const path = hash < 0 ? url : url.slice(0, hash);
  const adult = `${path.replace(/\/+$/, '')}/adulting${hash < 0 ? '' : url.slice(hash)}`;
  return typeof callHook === 'string' ? adult : { ...callHook, url: adult };
}

/** The B leg's verbs: inline, or the A leg's app's reply to `session:redirect` to the child hook. */
async function childVerbs(c: ConnectServices, info: CallInfo, app: { verbs: VerbData[] } | { hook: Hook }): Promise<VerbData[]> {
  if ('verbs' in app) return app.verbs;
  const reply = await c.request('session:redirect', app.hook, info.toJSON());
  const r = c.validate(reply);
  if (!r.ok) throw new Error(`invalid child_call_hook response: ${r.error}`);
  if (r.verbs.length === 0) throw new Error('the child_call_hook replied no verbs');
  return r.verbs;
}

/** Gives the (unbridged) B leg `b` its own application; resolves once its session started or the leg was ended. */
export async function adoptLeg(s: VerbServices, c: ConnectServices, b: Channel, info: CallInfo, app: { verbs: VerbData[] } | { hook: Hook }, log: Logger): Promise<void> {
  let verbs: VerbData[];
  try {
    verbs = await childVerbs(c, info, app);
  } catch (err) {
    log.warn({ err: errorMessage(err), child: b.uuid }, 'dial: the B leg got no application; hanging it up');
    s.notifyError({ msg: 'invalid actionHook response', details: errorMessage(err) });
    if (!b.ended) await b.hangup('NORMAL_CLEARING');
    return;
  }
  if (b.ended) return;
  const application = c.application;
  const statusHook = application?.call_status_hook;
  c.startSession({
    channel: b, account: c.account, callInfo: info, appJson: JSON.stringify(verbs),
    ...(application ? { application } : {}),
    ...(c.callHook !== undefined ? { callHook: c.callHook } : {}),
    ...(statusHook ? { callStatusHook: statusHook } : {}),
    adulting: { parentCallInfo: s.callInfo.toJSON() },
  });
}
