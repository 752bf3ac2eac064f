/**
 * One run of the `conference` verb (specs/jambonz.md §3.A conference, §2.4 statusHook): the call joins
 * the named room of the core (`sw.joinConference`, mixed with minus-one by the media layer); rooms are
 * per account (room-names.ts).
 *
 * - `startConferenceOnEnter: false` (a participant, not a moderator): until a moderator is in the room
 *   the call hears the `waitHook` reply (say / play / pause, fetched again each round), then joins; a
 *   `leave` in the reply ends the verb without joining;
 * - `enterHook`'s reply plays to the call just before it joins;
 * - member options: `joinMuted`, `memberTag`, `endConferenceOnExit`, moderator = startConferenceOnEnter;
 *   `maxParticipants` limits the room (a full room is an error and the verb ends);
 * - `beep` plays a short tone to the room when the call joins;
 * - `statusHook` gets the room's events named in `statusEvents` (conference-status.ts);
 * - `speakOnlyTo` (coaching): only the members tagged so hear this call (it hears everyone);
 * - `endConferenceDuration` (s): with endConferenceOnExit, the room ends that long after the last such
 *   member left (FreeSWITCH endconference_grace_time) instead of at once;
 * - `record` `{path}`: the room's mix is recorded from now until the room ends (conference-recorder.ts);
 * - `distributeDtmf`: the call's digits are sent on to the other members (dtmf-distribution.ts);
 * - `listen`: an audio fork of the call (what it says and the room it hears) for as long as it is in
 *   the room (../listen/);
 * - the verb ends when the call leaves the room (kicked, the room ended by an endConferenceOnExit
 *   member, the verb killed by a new application) and calls `actionHook`; the call goes on.
 */
import type { ConferenceMember, ConferenceSnapshot } from '../../../../core/index.ts';
import { asBoolean, asNumber, asString } from '../verb-data.ts';
import { hookOf, sleep, type VerbContext } from '../verbs/verb.ts';
import type { ConnectServices } from '../dial/connect-services.ts';
import { fetchVerbs, runNested } from '../dial/nested-verbs.ts';
import { statusEventsOf, statusPayload, talkingEvent, type ConferenceStatusEvent } from './conference-status.ts';
import { startMemberExtras } from './member-extras.ts';
import { roomKey } from './room-names.ts';

const BEEP = 'tone_stream://%(200,0,800)';
/** Bound on waitHook rounds, and their shortest length. */
const MIN_ROUND_MS = 1000;
const MAX_WAIT_ROUNDS = 100_000;

export async function runConference(ctx: VerbContext, c: ConnectServices): Promise<void> {
  const s = ctx.services;
  const verb = ctx.verb;
  const name = asString(verb['name']);
  if (!name) {
    s.notifyError({ msg: 'invalid verb', details: 'conference: name is required' }, verb);
    return;
  }
  const sw = c.sw;
  const ch = s.channel;
  // Rooms are per account (room-names.ts): the core room is keyed by account, hooks show `name`.
  const room = roomKey(c.account.account_sid, name);
  const moderator = asBoolean(verb['startConferenceOnEnter']) ?? true;
  const hasModerator = (): boolean => sw.conference(room)?.members().some((m) => m.moderator) ?? false;
  if (!moderator && !hasModerator()) {
    const started = new AbortController();
    const stopWaiting = (): void => started.abort();
    ctx.signal.addEventListener('abort', stopWaiting, { once: true });
    const off = sw.bus.on('conference.memberJoined', (e) => {
      if (e.conference.name === room && e.member.moderator) started.abort();
    });
    try {
      const waitHook = hookOf(verb['waitHook']);
      for (let round = 0; round < MAX_WAIT_ROUNDS && !started.signal.aborted && !ch.ended; round++) {
        const roundStart = s.clock.now();
        const verbs = waitHook ? await fetchVerbs(s, c, waitHook, { conference_sid: sw.conference(room)?.id, friendly_name: name }) : [];
        if (!started.signal.aborted && (await runNested(s, c, verbs, started.signal)) === 'leave') {
          ctx.log.info({ conference: name }, 'conference: left while waiting');
          return;
        }
        // A round is at least a second long, so an empty or failing reply does not spin on the hook.
        const rest = MIN_ROUND_MS - (s.clock.now() - roundStart);
        if (rest > 0 && !started.signal.aborted) await sleep(s.clock, rest, started.signal);
      }
    } finally {
      off();
      ctx.signal.removeEventListener('abort', stopWaiting);
    }
    if (ctx.signal.aborted || ch.ended) return;
  }
  const enterHook = hookOf(verb['enterHook']);
  if (enterHook) await runNested(s, c, await fetchVerbs(s, c, enterHook, { friendly_name: name }), ctx.signal);
  if (ctx.signal.aborted || ch.ended) return;

  const statusHook = hookOf(verb['statusHook']);
  const wanted = statusEventsOf(verb['statusEvents']);
  const offs: (() => void)[] = [];
  const report = (event: ConferenceStatusEvent, snapshot: ConferenceSnapshot): void => {
    if (statusHook && wanted.has(event)) s.notifyHook(statusHook, statusPayload(event, snapshot, sw.now(), name), verb);
  };
  if (statusHook) {
    offs.push(
      sw.bus.on('conference.created', (e) => { if (e.conference.name === room) report('start', e.conference); }),
      sw.bus.on('conference.destroyed', (e) => { if (e.conference.name === room) report('end', e.conference); }),
      sw.bus.on('conference.memberJoined', (e) => {
        if (e.conference.name === room) report('join', e.conference);
      }),
      sw.bus.on('conference.memberLeft', (e) => {
        if (e.conference.name === room) report('leave', e.conference);
      }),
      sw.bus.on('conference.memberUpdated', (e) => {
        const event = e.conference.name === room ? talkingEvent(e) : undefined;
        if (event) report(event, e.conference);
      }),
    );
  }
  try {
    const maxParticipants = asNumber(verb['maxParticipants']);
    const tag = asString(verb['memberTag']);
    const speakOnlyTo = asString(verb['speakOnlyTo']);
    const grace = asNumber(verb['endConferenceDuration']);
    const joined = sw.joinConference(ch, room, {
      moderator,
      mute: asBoolean(verb['joinMuted']) ?? false,
      endConferenceOnExit: asBoolean(verb['endConferenceOnExit']) ?? false,
      ...(tag !== undefined ? { tag } : {}),
      ...(speakOnlyTo ? { speakOnlyTo } : {}),
      ...(grace !== undefined && grace > 0 ? { endGraceMs: Math.round(grace * 1000) } : {}),
      ...(maxParticipants !== undefined && maxParticipants > 0 ? { maxParticipants: Math.floor(maxParticipants) } : {}),
    });
    if (!joined.ok) {
      s.notifyError({ msg: 'conference failed', details: `conference ${name}: ${joined.error.message}` }, verb);
      return;
    }
    const member = joined.member;
    const conference = sw.conference(room);
    if (asBoolean(verb['beep']) && conference) conference.play(BEEP);
    ctx.log.info({ conference: name, memberId: member.id }, 'conference: joined');
    const stopExtras = startMemberExtras(ctx, c, conference);
    offs.push(stopExtras);
    const reason = await untilLeft(c, member, ctx.signal);
    stopExtras();
    ctx.log.info({ conference: name, reason }, 'conference: left');
    if (reason === 'killed' || ch.ended) return;
    await s.performAction(hookOf(verb['actionHook']), { conference_sid: conference?.id, friendly_name: name, leave_reason: reason }, verb);
  } finally {
    for (const off of offs) off();
  }
}

/** Resolves when the member left the room (the reason), or `killed` after taking it out on abort. */
function untilLeft(c: ConnectServices, member: ConferenceMember, signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const done = (reason: string): void => {
      off();
      signal.removeEventListener('abort', onAbort);
      resolve(reason);
    };
    const off = c.sw.bus.on('conference.memberLeft', (e) => {
      if (e.member.id === member.id) done(e.reason);
    });
    const onAbort = (): void => {
      if (member.channel.conference !== undefined) c.sw.leaveConference(member.channel);
      done('killed');
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (member.channel.conference === undefined) done('left');
  });
}
