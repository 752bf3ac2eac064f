/**
 * What a conference member's verb runs beside the mixing while the call is in the room (specs/jambonz.md
 * §3.A conference `record`, `distributeDtmf`, `listen`): the room recording (started once per room),
 * the distribution of the call's digits, and a nested audio fork of the call. Returns one stop function
 * (idempotent) that ends the call's own extras; the room recording ends with the room.
 */
import type { Conference } from '../../../../core/index.ts';
import type { ConnectServices } from '../dial/connect-services.ts';
import { listenOptionsFor, startFork, type ListenFork } from '../listen/index.ts';
import { recordingDirOf } from '../recording/index.ts';
import { asBoolean, asRecord, asString } from '../verb-data.ts';
import type { VerbContext } from '../verbs/verb.ts';
import { recordConference } from './conference-recorder.ts';
import { distributeDtmf } from './dtmf-distribution.ts';

export function startMemberExtras(ctx: VerbContext, c: ConnectServices, conference: Conference | undefined): () => void {
  const s = ctx.services;
  const verb = ctx.verb;
  const stops: (() => void)[] = [];
  let stopped = false;

  const record = asRecord(verb['record']);
  if (record && conference) {
    const dir = recordingDirOf(s);
    if (!dir) {
      s.notifyError({ msg: 'conference record failed', details: 'no recordings directory is configured' }, verb);
    } else {
      const path = asString(record['path']);
      recordConference({
        conference, dir, callSid: s.callInfo.callSid, accountSid: s.callInfo.accountSid, clock: s.clock,
        now: () => c.sw.now(), log: ctx.log, ...(path !== undefined ? { path } : {}),
      });
    }
  }

  if (asBoolean(verb['distributeDtmf'])) stops.push(distributeDtmf(c.sw, s.channel, ctx.log));

  const listen = asRecord(verb['listen']);
  const options = listen ? listenOptionsFor(s, listen) : undefined;
  if (options) {
    let fork: ListenFork | undefined;
    stops.push(() => fork?.stop());
    startFork(s, options, false).then((f) => {
      fork = f;
      if (stopped) f.stop();
      else void f.ended.then((end) => ctx.log.info({ reason: end.reason }, 'conference listen ended'));
    }, (err: unknown) => ctx.log.warn({ err }, 'conference listen failed to start'));
  }

  return () => {
    if (stopped) return;
    stopped = true;
    for (const stop of stops) stop();
  };
}
