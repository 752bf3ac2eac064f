/**
 * Hold during a bridged dial (specs/jambonz.md §3.A dial `onHoldHook`, config `onHoldMusic`; the
 * original's dial.js `_onHoldHook` and the hold music of its media endpoint): when either party puts
 * the call on hold from its phone (re-INVITE or UPDATE with sendonly / inactive / c=0.0.0.0), the
 * other party, the one held, hears
 * - with `onHoldHook`: the verbs of the hook's reply (call info plus `hold_detail: {from, to}`; only
 *   say, play and pause are allowed, a reply with anything else is refused with a log line), the hook
 *   asked again when they are done while the call is still held;
 * - otherwise, with `config.onHoldMusic`: that audio, looped;
 * and both stop as soon as the call is taken off hold (or the bridge ends).
 */
import type { Channel } from '../../../../core/index.ts';
import type { Hook } from '../../contract.ts';
import type { CallInfo } from '../call-info.ts';
import type { VerbData } from '../verb-data.ts';
import type { VerbServices } from '../verbs/verb.ts';
import type { ConnectServices } from './connect-services.ts';
import { runOnLeg } from './leg-runner.ts';

/** The verbs an onHoldHook reply may hold. */
export const HOLD_VERBS: readonly string[] = ['say', 'play', 'pause'];
/** Bounds on the loops (hook rounds per hold, music repetitions). */
const MAX_ROUNDS = 100;
/** A hook round lasts at least this long, so a reply that plays nothing does not spin. */
const MIN_ROUND_MS = 1_000;

export interface DialHoldOptions {
  s: VerbServices;
  c: ConnectServices;
  a: Channel;
  b: Channel;
  childInfo: CallInfo;
  hook: Hook | undefined;
  music: string | undefined;
}

/** The verbs of an onHoldHook reply to run, or undefined (nothing to run, or not allowed). */
export function holdVerbs(verbs: readonly VerbData[]): VerbData[] | undefined {
  if (verbs.length === 0) return undefined;
  return verbs.every((v) => HOLD_VERBS.includes(v.verb)) ? [...verbs] : undefined;
}

/** `hold_detail` of the onHoldHook: the From and To of the holding party's request. */
export function holdDetail(holder: Channel): { from: string; to: string } {
  const uri = (p: { number: string; uri?: string }): string => p.uri ?? p.number;
  return holder.direction === 'inbound'
    ? { from: uri(holder.caller), to: uri(holder.callee) }
    : { from: uri(holder.callee), to: uri(holder.caller) };
}

/** Follows both legs' far-end hold while bridged; returns the stop. */
export function watchDialHold(o: DialHoldOptions): () => void {
  const running = new Map<Channel, AbortController>();
  const release = (holder: Channel): void => {
    running.get(holder)?.abort();
    running.delete(holder);
  };
  const onHold = (holder: Channel, held: boolean): void => {
    release(holder);
    if (!held || (!o.hook && !o.music)) return;
    const other = holder === o.a ? o.b : o.a;
    const stop = new AbortController();
    running.set(holder, stop);
    const work = o.hook ? hookRounds(o, holder, other, o.hook, stop.signal) : loopMusic(o, other, o.music!, stop.signal);
    void work.catch((err: unknown) => o.s.log.warn({ err }, 'dial: hold treatment failed'));
  };
  const offs = [o.a, o.b].map((leg) => leg.on('hold', ({ held, by }) => {
    if (by === 'remote') onHold(leg, held);
  }));
  return () => {
    for (const off of offs.splice(0)) off();
    for (const leg of [...running.keys()]) release(leg);
  };
}

async function hookRounds(o: DialHoldOptions, holder: Channel, held: Channel, hook: Hook, signal: AbortSignal): Promise<void> {
  const info = held === o.a ? o.s.callInfo : o.childInfo;
  let started = o.s.clock.now();
  for (let round = 0; round < MAX_ROUNDS && !signal.aborted && !held.ended; round++) {
    if (round > 0) await pauseRest(o, started, signal);
    if (signal.aborted || held.ended) return;
    started = o.s.clock.now();
    let reply: unknown;
    try {
      reply = await o.c.request('verb:hook', hook, { ...o.s.callInfo.toJSON(), hold_detail: holdDetail(holder) });
    } catch (err) {
      o.s.log.info({ err }, 'dial: onHoldHook failed');
      return;
    }
    if (signal.aborted || !Array.isArray(reply) || reply.length === 0) return;
    const r = o.c.validate(reply);
    if (!r.ok) {
      o.s.notifyError({ msg: 'invalid onHoldHook response', details: r.error });
      return;
    }
    const verbs = holdVerbs(r.verbs);
    if (!verbs) {
      o.s.log.info({ verbs: r.verbs.map((v) => v.verb) }, `dial: onHoldHook reply refused: only ${HOLD_VERBS.join(', ')}`);
      return;
    }
    await runOnLeg(o.s, o.c, held, info, verbs, signal);
  }
}

/** Waits out the rest of a minimum round (abortable). */
function pauseRest(o: DialHoldOptions, started: number, signal: AbortSignal): Promise<void> {
  const rest = started + MIN_ROUND_MS - o.s.clock.now();
  if (rest <= 0 || signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const t = o.s.clock.setTimeout(done, rest);
    function done(): void {
      t.cancel();
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

async function loopMusic(o: DialHoldOptions, held: Channel, url: string, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < MAX_ROUNDS * 10 && !signal.aborted && !held.ended; i++) {
    const playback = held.play(url, {});
    const halt = (): void => playback.stop();
    signal.addEventListener('abort', halt, { once: true });
    const outcome = await playback.done;
    signal.removeEventListener('abort', halt);
    if (outcome.status === 'failed') {
      o.s.log.info({ url }, 'dial: onHoldMusic failed');
      return;
    }
  }
}
